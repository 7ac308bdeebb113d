namespace Cairn.Storage;

/// <summary>
/// Names one object in a store: its kind and, for every kind but <see cref="ObjectKind.Config"/>,
/// 64 lowercase hexadecimal characters (the SHA-256 of the stored bytes). The constructor refuses
/// anything else, so a name can never become a path outside the store.
/// </summary>
public readonly record struct ObjectName
{
    /// <summary>The config file's name.</summary>
    public const string ConfigName = "config";

    /// <summary>The object's kind (its folder).</summary>
    public ObjectKind Kind { get; }
    /// <summary>The name inside the folder: 64 lower-case hex digits, or <c>config</c>.</summary>
    public string Name { get; }

    /// <summary>A name of a kind; throws when the name is not valid for it.</summary>
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

    /// <summary>The config file.</summary>
    public static ObjectName Config { get; } = new(ObjectKind.Config, ConfigName);

    /// <summary>Whether a name is valid for a kind: <c>config</c> for the config, else 64 lower-case hex digits.</summary>
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

    /// <summary>Makes a name when valid, without throwing.</summary>
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

    /// <summary>The path in restic's layout: <c>config</c> or <c>folder/name</c>.</summary>
    public override string ToString() => Kind == ObjectKind.Config ? ConfigName : $"{Kind.FolderName()}/{Name}";
}
