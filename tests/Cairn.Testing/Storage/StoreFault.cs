namespace Cairn.Storage.Testing;

/// <summary>What goes wrong when a <see cref="FaultInjectingObjectStore"/> rule fires.</summary>
public sealed class StoreFault
{
    private StoreFault(FaultKind kind, Func<Exception>? exception = null, long bytes = 0, bool afterInner = false)
    {
        Kind = kind;
        Exception = exception;
        Bytes = bytes;
        AfterInner = afterInner;
    }

    internal enum FaultKind
    {
        Throw,
        InterruptSave,
        TruncateSave,
        FlipByte,
    }

    internal FaultKind Kind { get; }
    internal Func<Exception>? Exception { get; }
    internal long Bytes { get; }
    internal bool AfterInner { get; }

    /// <summary>The call fails with a transient <see cref="StorageException"/> before reaching the store.</summary>
    public static StoreFault Transient(string message = "injected transient failure") =>
        new(FaultKind.Throw, () => new StorageException(message, isTransient: true));

    /// <summary>The call fails with a permanent <see cref="StorageException"/> before reaching the store.</summary>
    public static StoreFault Permanent(string message = "injected permanent failure") =>
        new(FaultKind.Throw, () => new StorageException(message, isTransient: false));

    /// <summary>The call fails with any exception (an <see cref="IOException"/>, an HTTP error) before reaching the store.</summary>
    public static StoreFault Throw(Func<Exception> exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return new(FaultKind.Throw, exception);
    }

    /// <summary>
    /// The call reaches the store and succeeds there, then a transient failure is reported anyway
    /// (a response lost on the way back: the object is saved or deleted but the caller is told otherwise).
    /// </summary>
    public static StoreFault TransientAfterCompletion(string message = "injected failure after the store completed") =>
        new(FaultKind.Throw, () => new StorageException(message, isTransient: true), afterInner: true);

    /// <summary>A save whose upload breaks after <paramref name="afterBytes"/> bytes: the store sees a failing stream, the caller a transient error.</summary>
    public static StoreFault InterruptSave(long afterBytes) => new(FaultKind.InterruptSave, bytes: afterBytes);

    /// <summary>A save that silently keeps only the first <paramref name="keepBytes"/> bytes and reports success (a lying backend).</summary>
    public static StoreFault TruncateSave(long keepBytes) => new(FaultKind.TruncateSave, bytes: keepBytes);

    /// <summary>A read that returns the byte at <paramref name="objectOffset"/> inverted, when the read covers it.</summary>
    public static StoreFault FlipByte(long objectOffset) => new(FaultKind.FlipByte, bytes: objectOffset);
}
