using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cairn.Space.CloudRestore.Ssh;

/// <summary>
/// The key pair Space signs in with to one ssh provider's server, kept in the database so every replica has it; the
/// private half is protected with ASP.NET Data Protection (the keys of which are in the database too), the public half
/// is what the operator adds to the server's <c>authorized_keys</c>.
/// </summary>
public sealed class SshProviderKey
{
    public const int MaxProviderIdLength = 100;

    private SshProviderKey()
    {
        ProviderId = PublicKey = ProtectedPrivateKey = "";
    }

    public SshProviderKey(string providerId, string publicKey, string protectedPrivateKey, DateTimeOffset createdAt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(providerId);
        ArgumentException.ThrowIfNullOrWhiteSpace(publicKey);
        ArgumentException.ThrowIfNullOrWhiteSpace(protectedPrivateKey);
        ProviderId = providerId;
        PublicKey = publicKey;
        ProtectedPrivateKey = protectedPrivateKey;
        CreatedAt = createdAt;
    }

    /// <summary>The catalog provider's ID: one key per provider, made once.</summary>
    public string ProviderId { get; private set; }

    /// <summary>An OpenSSH public key line, <c>ssh-ed25519 AAAA... comment</c>.</summary>
    public string PublicKey { get; private set; }

    /// <summary>The OpenSSH private key file's text, protected (never stored or logged in the clear).</summary>
    public string ProtectedPrivateKey { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
}

public sealed class SshProviderKeyModel : IEntityTypeConfiguration<SshProviderKey>
{
    public void Configure(EntityTypeBuilder<SshProviderKey> e)
    {
        ArgumentNullException.ThrowIfNull(e);
        e.HasKey(k => k.ProviderId);
        e.Property(k => k.ProviderId).HasMaxLength(SshProviderKey.MaxProviderIdLength);
        e.Property(k => k.PublicKey).HasMaxLength(1000);
        e.Property(k => k.ProtectedPrivateKey).HasMaxLength(10_000);
    }
}
