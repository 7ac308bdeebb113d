namespace Cairn.Microbench;

/// <summary>
/// What one benchmark invocation processes (bytes, or lookups) and which machine limit it is printed beside
/// (a key of <see cref="MachineLimits"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class MeasuresAttribute(long amount, string limit, bool lookups = false) : Attribute
{
    public long Amount { get; } = amount;

    public string Limit { get; } = limit;

    public bool Lookups { get; } = lookups;
}
