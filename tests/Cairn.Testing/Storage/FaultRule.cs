namespace Cairn.Storage.Testing;

/// <summary>
/// One injected fault: fires on the <see cref="FirstCall"/>-th matching call counted from when it was added,
/// and on the <see cref="Times"/> - 1 matching calls after it.
/// </summary>
public sealed class FaultRule
{
    private int _seen;
    private int _fired;

    internal FaultRule(StoreOperation operation, StoreFault fault, int firstCall, int times, ObjectKind? kind)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(firstCall, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(times, 1);
        Operation = operation;
        Fault = fault;
        FirstCall = firstCall;
        Times = times;
        Kind = kind;
    }

    public StoreOperation Operation { get; }
    public StoreFault Fault { get; }
    public int FirstCall { get; }
    public int Times { get; }
    public ObjectKind? Kind { get; }

    /// <summary>How many times this rule has fired so far.</summary>
    public int Fired => Volatile.Read(ref _fired);

    /// <summary>Counts a call; true when this call is one the rule fires on. Called under the store's lock.</summary>
    internal bool Matches(StoreOperation operation, ObjectKind kind)
    {
        if (operation != Operation || (Kind is { } k && k != kind))
        {
            return false;
        }

        _seen++;
        if (_seen < FirstCall || _seen >= FirstCall + Times)
        {
            return false;
        }

        _fired++;
        return true;
    }
}
