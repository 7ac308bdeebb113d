namespace Cairn.Storage;

/// <summary>
/// An open read of part of an object together with the whole object's size, which a ranged GET's answer carries on
/// S3 (<c>Content-Range: bytes a-b/size</c>): Space answers restic's GET from it without asking for the size first.
/// </summary>
/// <param name="Body">The bytes from the offset asked for; empty when the offset is at or past the end. The caller disposes it.</param>
/// <param name="ObjectSize">The size of the whole object, not of the body.</param>
public readonly record struct ObjectRead(Stream Body, long ObjectSize);
