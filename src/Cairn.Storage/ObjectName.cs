namespace Cairn.Storage;

/// <summary>
/// Names one object in a store: its kind and, for every kind but <see cref="ObjectKind.Config"/>,
/// 64 lowercase hexadecimal characters (the SHA-256 of the stored bytes). The constructor refuses
/// anything else, so a name can never become a path outside the store.
/// </summary>
public readonly record struct ObjectName
{
    public const string ConfigName = "config";

    public ObjectKind Kind { get; }
    public string Name { get; }

    public ObjectName(ObjectKind kind, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!IsValid(kind, name))
        {
            throw new ArgumentException($"'{name}' is not a valid {kind} object name", nameof(name));
        }

        Kind = kind;
        Name = name;
    }

    public static ObjectName Config { get; } = new(ObjectKind.Config, ConfigName);

    public static bool IsValid(ObjectKind kind, ReadOnlySpan<char> name)
    {
        if (kind == ObjectKind.Config)
        {
            return name.SequenceEqual(ConfigName);
        }

        if (name.Length != 64)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    public static bool TryCreate(ObjectKind kind, string name, out ObjectName result)
    {
        if (IsValid(kind, name))
        {
            result = new ObjectName(kind, name);
            return true;
        }

        result = default;
        return false;
    }

    public override string ToString() => Kind == ObjectKind.Config ? ConfigName : $"{Kind.FolderName()}/{Name}";
}
