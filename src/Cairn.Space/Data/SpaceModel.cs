namespace Cairn.Space.Data;

/// <summary>What the features' entity mappings share.</summary>
public static class SpaceModel
{
    /// <summary>
    /// The filter of a unique index over rows not soft-deleted; quoted identifiers are standard SQL, so the same text
    /// works on SQLite and PostgreSQL.
    /// </summary>
    public const string Active = "\"DeletedAt\" IS NULL";
}
