using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Cairn.Restore.Worker;

/// <summary>What a frame of the restore worker's protocol carries.</summary>
public enum FrameType : byte
{
    /// <summary>Parent to child, once, first: the snapshot and the backup password.</summary>
    Start = 1,

    /// <summary>Child to parent: one operation on the task's store.</summary>
    Call = 2,

    /// <summary>Parent to child: the answer to the call of the same number.</summary>
    Reply = 3,

    /// <summary>Child to parent: progress, a warning, the verification report or the failure.</summary>
    Event = 4,
}

/// <summary>
/// One frame of the restore worker's protocol over the child's standard input and output (docs/architecture.md,
/// "Restore to cloud"): a 4-byte big-endian length of what follows, the type, a 4-byte call number, a 4-byte length
/// of the JSON header, the header, then raw bytes (an object's content). The length is bounded, so neither side can
/// make the other allocate without limit.
/// </summary>
public sealed record WorkerFrame(FrameType Type, int CallId, ReadOnlyMemory<byte> Header, ReadOnlyMemory<byte> Data)
{
    /// <summary>The largest read one call may ask for; larger reads are split.</summary>
    public const int MaxDataBytes = 16 << 20;

    /// <summary>A JSON header this long is far beyond any real one (a listing of many objects included).</summary>
    public const int MaxHeaderBytes = 32 << 20;

    private const int FixedBytes = 1 + 4 + 4;

    /// <summary>Parses the frame's JSON header.</summary>
    public T ReadHeader<T>() => JsonSerializer.Deserialize(Header.Span, TypeInfo<T>()) ?? throw new WorkerProtocolException($"an empty {Type} frame");

    /// <summary>A frame with a JSON header and optional data.</summary>
    public static WorkerFrame Of<T>(FrameType type, int callId, T header, ReadOnlyMemory<byte> data = default) =>
        new(type, callId, JsonSerializer.SerializeToUtf8Bytes(header, TypeInfo<T>()), data);

    /// <summary>The generated contract of a header type; only the protocol's own messages have one.</summary>
    private static JsonTypeInfo<T> TypeInfo<T>() =>
        WorkerJsonContext.Default.GetTypeInfo(typeof(T)) as JsonTypeInfo<T>
        ?? throw new InvalidOperationException($"{typeof(T).Name} is not a message of the restore worker protocol");

    /// <summary>Writes the frame: length prefix, header, data.</summary>
    public async Task WriteAsync(Stream stream, CancellationToken cancellationToken)
    {
        var head = new byte[4 + FixedBytes];
        BinaryPrimitives.WriteInt32BigEndian(head, FixedBytes + Header.Length + Data.Length);
        head[4] = (byte)Type;
        BinaryPrimitives.WriteInt32BigEndian(head.AsSpan(5), CallId);
        BinaryPrimitives.WriteInt32BigEndian(head.AsSpan(9), Header.Length);
        await stream.WriteAsync(head, cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync(Header, cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync(Data, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The next frame, or null at the end of the stream (the other side closed it or ended).</summary>
    public static async Task<WorkerFrame?> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var head = new byte[4 + FixedBytes];
        var first = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (first == 0)
        {
            return null;
        }

        if (first < head.Length)
        {
            throw new WorkerProtocolException("the stream ended inside a frame");
        }

        var length = BinaryPrimitives.ReadInt32BigEndian(head);
        var type = (FrameType)head[4];
        var callId = BinaryPrimitives.ReadInt32BigEndian(head.AsSpan(5));
        var headerLength = BinaryPrimitives.ReadInt32BigEndian(head.AsSpan(9));
        if (!Enum.IsDefined(type) || headerLength < 0 || headerLength > MaxHeaderBytes || length < FixedBytes + headerLength
            || length - FixedBytes - headerLength > MaxDataBytes)
        {
            throw new WorkerProtocolException("a malformed frame");
        }

        var body = new byte[length - FixedBytes];
        await stream.ReadExactlyAsync(body, cancellationToken).ConfigureAwait(false);
        return new WorkerFrame(type, callId, body.AsMemory(0, headerLength), body.AsMemory(headerLength));
    }
}

/// <summary>The other side broke the restore worker's protocol.</summary>
public sealed class WorkerProtocolException(string message) : Exception($"restore worker protocol: {message}");
