using System.Text.Json;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cairn.Space.Data;

/// <summary>
/// A value kept as one JSON text column: the same on SQLite and PostgreSQL, read and written whole, never queried
/// inside. Compared by its JSON, so a changed list inside a record is seen as a change.
/// </summary>
public static class JsonColumn
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static PropertyBuilder<T> AsJson<T>(this PropertyBuilder<T> property)
    {
        ArgumentNullException.ThrowIfNull(property);
        return property.HasConversion(
            v => Write(v),
            text => Read<T>(text),
            new ValueComparer<T>((a, b) => Write(a) == Write(b), v => Write(v).GetHashCode(StringComparison.Ordinal), v => Read<T>(Write(v))));
    }

    private static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    private static T Read<T>(string text) => JsonSerializer.Deserialize<T>(text, Options)!;
}
