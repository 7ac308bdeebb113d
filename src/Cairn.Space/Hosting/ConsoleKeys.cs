using System.Xml.Linq;
using Cairn.Space.Data;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Space.Hosting;

/// <summary>
/// The console's Data Protection keys (sign-in cookies, form tokens, protected two-factor secrets) live in the
/// database, so every replica reads the same ring. At start, under the start-up lock: keys of a Space that kept them
/// in its data folder (<c>console-keys/</c>, before the database held them) are moved in, so two-factor secrets and
/// sessions survive the upgrade; and a first key is made when there is none, so replicas starting at once do not each
/// make their own.
/// </summary>
public static class ConsoleKeys
{
    public const string LegacyFolderName = "console-keys";

    public static async Task PrepareAsync(SpaceDbContext db, IKeyManager keys, SpaceSettings settings, ILogger logger,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(settings);
        if (await db.DataProtectionKeys.AnyAsync(cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var legacy = new DirectoryInfo(Path.Combine(settings.DataPath, LegacyFolderName));
        var moved = 0;
        if (legacy.Exists)
        {
            foreach (var file in legacy.EnumerateFiles("*.xml"))
            {
                var xml = XElement.Load(file.FullName);
                db.DataProtectionKeys.Add(new DataProtectionKey
                {
                    FriendlyName = Path.GetFileNameWithoutExtension(file.Name),
                    Xml = xml.ToString(SaveOptions.DisableFormatting),
                });
                moved++;
            }

            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Moved {Count} console keys from {Folder} into the database", moved, legacy.FullName);
        }

        if (moved == 0)
        {
            // Data Protection judges keys by the real time, not by Space's clock (which tests move).
            var now = DateTimeOffset.UtcNow;
            keys.CreateNewKey(now, now.AddDays(90));
        }
    }
}
