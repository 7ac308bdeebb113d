namespace Cairn.Storage;

/// <summary>What a listing or a stat tells about one stored object.</summary>
public readonly record struct ObjectInfo(ObjectName Name, long Size);
