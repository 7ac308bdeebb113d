using System.Buffers;
using Cairn.Platform;
using Cairn.Repository;
using Cairn.Repository.Format;
using Microsoft.Win32.SafeHandles;

namespace Cairn.Restore;

/// <summary>
/// Reads a file on the disk chunk by chunk, as the snapshot's node cuts it, and hashes each chunk: a data blob's ID
/// is the SHA-256 of its plaintext, so a match needs nothing from the repository but the index.
/// </summary>
internal static class FileContentCheck
{
    /// <summary>Where the file first differs from the node's content, or null when it matches exactly.</summary>
    public static async Task<string?> FirstDifferenceAsync(IRestoreSource source, RawPath path, Node node, CancellationToken cancellationToken)
    {
        using var handle = PosixFileSystem.OpenRead(path);
        var length = RandomAccess.GetLength(handle);
        if ((ulong)length != node.Size)
        {
            return $"it has {length} bytes, the snapshot's file {node.Size}";
        }

        long offset = 0;
        foreach (var blob in node.Content ?? [])
        {
            if (!source.TryLocateData(blob, out var location))
            {
                return $"data blob {blob.Short} is not in the repository's index";
            }

            var size = (int)location.PlaintextLength;
            var buffer = ArrayPool<byte>.Shared.Rent(size);
            try
            {
                if (await ReadFullyAsync(handle, buffer.AsMemory(0, size), offset, cancellationToken).ConfigureAwait(false) < size
                    || Id.Hash(buffer.AsSpan(0, size)) != blob)
                {
                    return $"the content at offset {offset} does not match the snapshot";
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            offset += size;
        }

        return offset == length ? null : $"it has {length} bytes, its content in the snapshot {offset}";
    }

    private static async Task<int> ReadFullyAsync(SafeFileHandle handle, Memory<byte> buffer, long offset, CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await RandomAccess.ReadAsync(handle, buffer[read..], offset + read, cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        return read;
    }
}
