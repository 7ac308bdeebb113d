using System.Security.Cryptography;

namespace Cairn.Storage.Testing;

/// <summary>An object to save in tests: random bytes named, as in a repository, by their SHA-256.</summary>
public sealed record TestObject(ObjectName Name, byte[] Content)
{
    public static TestObject Random(ObjectKind kind, int size)
    {
        var content = RandomNumberGenerator.GetBytes(size);
        return Named(kind, content);
    }

    public static TestObject Named(ObjectKind kind, byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var name = kind == ObjectKind.Config
            ? ObjectName.Config
            : new ObjectName(kind, Convert.ToHexStringLower(SHA256.HashData(content)));
        return new TestObject(name, content);
    }

    public Task SaveToAsync(IObjectStore store, CancellationToken cancellationToken = default) =>
        store.SaveAsync(Name, Content, cancellationToken);
}
