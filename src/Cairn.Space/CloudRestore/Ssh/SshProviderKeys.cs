using System.Diagnostics;
using Cairn.Space.CloudRestore.Worker;
using Cairn.Space.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Space.CloudRestore.Ssh;

/// <summary>
/// Each ssh provider's key pair: made with <c>ssh-keygen</c> (ed25519) the first time anyone asks for it, then read
/// from the database. Two replicas asking at once both make one; the database keeps the first (the provider ID is
/// the key) and the other reads it back, so every replica signs in with the same key.
/// </summary>
public sealed class SshProviderKeys(IServiceScopeFactory scopes, IDataProtectionProvider protection, TimeProvider clock)
{
    private const string KeygenPath = "/usr/bin/ssh-keygen";
    private readonly IDataProtector _protector = protection.CreateProtector("Cairn.Space.CloudRestore.SshProviderKey.v1");

    /// <summary>The public half, an <c>authorized_keys</c> line.</summary>
    public async Task<string> PublicKeyAsync(string providerId, CancellationToken cancellationToken)
        => (await GetOrCreateAsync(providerId, cancellationToken).ConfigureAwait(false)).PublicKey;

    /// <summary>The private half's OpenSSH text, for the life of one ssh process (<see cref="SshSession"/>).</summary>
    public async Task<string> PrivateKeyAsync(string providerId, CancellationToken cancellationToken)
        => _protector.Unprotect((await GetOrCreateAsync(providerId, cancellationToken).ConfigureAwait(false)).ProtectedPrivateKey);

    private async Task<SshProviderKey> GetOrCreateAsync(string providerId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(providerId);
        using (var scope = scopes.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SpaceDbContext>();
            if (await db.SshProviderKeys.AsNoTracking().FirstOrDefaultAsync(k => k.ProviderId == providerId, cancellationToken).ConfigureAwait(false) is { } found)
            {
                return found;
            }
        }

        var (publicKey, privateKey) = await GenerateAsync(providerId, cancellationToken).ConfigureAwait(false);
        var made = new SshProviderKey(providerId, publicKey, _protector.Protect(privateKey), clock.GetUtcNow());
        using (var scope = scopes.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SpaceDbContext>();
            db.SshProviderKeys.Add(made);
            try
            {
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                return made;
            }
            catch (DbUpdateException)
            {
                // Another replica made one first: theirs is the provider's key.
            }
        }

        using (var scope = scopes.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SpaceDbContext>();
            return await db.SshProviderKeys.AsNoTracking().SingleAsync(k => k.ProviderId == providerId, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A new ed25519 pair from ssh-keygen, in a private temporary folder removed at once.</summary>
    private static async Task<(string Public, string Private)> GenerateAsync(string providerId, CancellationToken cancellationToken)
    {
        if (!File.Exists(KeygenPath))
        {
            throw new CloudRestoreFailedException($"{KeygenPath} is missing: install Debian's openssh-client to use ssh providers");
        }

        using var folder = PrivateFolder.Create("cairn-keygen-");
        var file = Path.Combine(folder.Path, "key");
        var start = new ProcessStartInfo(KeygenPath) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])["-q", "-t", "ed25519", "-N", "", "-C", $"cairn-space-{providerId}", "-f", file])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new CloudRestoreFailedException("ssh-keygen did not start");
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        _ = await process.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new CloudRestoreFailedException($"ssh-keygen failed ({process.ExitCode}): {(await error.ConfigureAwait(false)).Trim()}");
        }

        return ((await File.ReadAllTextAsync(file + ".pub", cancellationToken).ConfigureAwait(false)).Trim(),
            await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false));
    }
}
