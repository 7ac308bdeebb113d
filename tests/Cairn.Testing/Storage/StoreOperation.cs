namespace Cairn.Storage.Testing;

/// <summary>The calls of <see cref="IObjectStore"/> a fault can be injected into.</summary>
public enum StoreOperation
{
    Create,
    Save,
    Stat,
    Read,
    OpenRead,
    List,
    Delete,
}
