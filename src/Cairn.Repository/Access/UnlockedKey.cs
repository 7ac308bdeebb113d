using Cairn.Repository.Crypto;
using Cairn.Repository.Format;

namespace Cairn.Repository.Access;

/// <summary>
/// A repository's master key, unwrapped from one key file by a password (docs/format.md, "Keys"). Opaque to its
/// holder: it only opens the repository again (<see cref="SnapshotReader"/>) without running scrypt a second time.
/// </summary>
public sealed class UnlockedKey
{
    internal UnlockedKey(CryptoKey master, Id keyId)
    {
        Master = master;
        KeyId = keyId;
    }

    internal CryptoKey Master { get; }

    internal Id KeyId { get; }
}
