using System.Buffers;
using System.Text;
using Cairn.Repository;
using Cairn.Repository.Format;

namespace Cairn.Space.Cloud;

/// <summary>
/// Compares a restored folder with the snapshot it came from: every directory holds exactly the snapshot's names,
/// each entry has the snapshot's type, files have its size, and each file's content, read back chunk by chunk,
/// hashes to the snapshot's blob IDs (a blob ID is the SHA-256 of its plaintext).
/// </summary>
public static class RestoreVerifier
{
    public static async Task<RestoreReport> VerifyAsync(Repository.Repository repository, Id root, string disk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentException.ThrowIfNullOrEmpty(disk);
        var totals = new Totals();
        await VerifyTreeAsync(repository, root, disk, "/", totals, cancellationToken).ConfigureAwait(false);
        return new RestoreReport(totals.Files, totals.Directories, totals.Bytes);
    }

    private static async Task VerifyTreeAsync(Repository.Repository repository, Id tree, string folder, string shown, Totals totals,
        CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var nodes = await repository.LoadTreeAsync(tree, cancellationToken).ConfigureAwait(false);

        // Sockets are not restored (restic skips them too); everything else must be there, and nothing more.
        var expected = nodes.Where(n => n.Type != NodeType.Socket).Select(n => Encoding.UTF8.GetString(n.Name)).ToHashSet(StringComparer.Ordinal);
        var actual = Directory.EnumerateFileSystemEntries(folder).Select(e => Path.GetFileName(e)).ToHashSet(StringComparer.Ordinal);
        if (expected.Except(actual).FirstOrDefault() is { } missing)
        {
            throw new RestoreVerificationException($"{shown}{missing} is in the snapshot but was not restored");
        }

        if (actual.Except(expected).FirstOrDefault() is { } extra)
        {
            throw new RestoreVerificationException($"{shown}{extra} was restored but is not in the snapshot");
        }

        totals.Directories++;
        foreach (var node in nodes)
        {
            var name = Encoding.UTF8.GetString(node.Name);
            var path = Path.Combine(folder, name);
            var what = shown + name;
            var info = new FileInfo(path);
            switch (node.Type)
            {
                case NodeType.Dir:
                    if (!Directory.Exists(path) || info.LinkTarget is not null || node.Subtree is not { } subtree)
                    {
                        throw new RestoreVerificationException($"{what} should be a directory");
                    }

                    await VerifyTreeAsync(repository, subtree, path, what + "/", totals, cancellationToken).ConfigureAwait(false);
                    break;
                case NodeType.File:
                    if (!info.Exists || info.LinkTarget is not null)
                    {
                        throw new RestoreVerificationException($"{what} should be a regular file");
                    }

                    if ((ulong)info.Length != node.Size)
                    {
                        throw new RestoreVerificationException($"{what} has {info.Length} bytes, the snapshot says {node.Size}");
                    }

                    await VerifyContentAsync(repository, node, path, what, cancellationToken).ConfigureAwait(false);
                    totals.Files++;
                    totals.Bytes += info.Length;
                    break;
                case NodeType.Symlink:
                    var target = node.LinkTarget is null ? "" : Encoding.UTF8.GetString(node.LinkTarget);
                    if (info.LinkTarget != target)
                    {
                        throw new RestoreVerificationException($"{what} should be a link to {target}");
                    }

                    break;
                case NodeType.Socket:
                    break;
                default:
                    if (!info.Exists)
                    {
                        throw new RestoreVerificationException($"{what} ({node.Type}) was not restored");
                    }

                    break;
            }
        }
    }

    private static async Task VerifyContentAsync(Repository.Repository repository, Node node, string path, string what, CancellationToken cancellationToken)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        await using (stream.ConfigureAwait(false))
        {
            foreach (var blob in node.Content ?? [])
            {
                if (!repository.Index.TryGet(BlobType.Data, blob, out var location))
                {
                    throw new RestoreVerificationException($"{what}: data blob {blob.Short} is not in the repository's index");
                }

                var length = (int)location.PlaintextLength;
                var buffer = ArrayPool<byte>.Shared.Rent(length);
                try
                {
                    await stream.ReadExactlyAsync(buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
                    if (Id.Hash(buffer.AsSpan(0, length)) != blob)
                    {
                        throw new RestoreVerificationException($"{what}: the content at offset {stream.Position - length} does not match the snapshot");
                    }
                }
                catch (EndOfStreamException)
                {
                    throw new RestoreVerificationException($"{what} is shorter than its content in the snapshot");
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }

            if (stream.Position != stream.Length)
            {
                throw new RestoreVerificationException($"{what} is longer than its content in the snapshot");
            }
        }
    }

    private sealed class Totals
    {
        public long Files { get; set; }
        public long Directories { get; set; }
        public long Bytes { get; set; }
    }
}
