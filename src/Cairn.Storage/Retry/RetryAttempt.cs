namespace Cairn.Storage;

/// <summary>One retry about to happen: which call, on what, after which failure, and how long it waits first.</summary>
public readonly record struct RetryAttempt(string Operation, string Target, int Attempt, Exception Error, TimeSpan Delay);
