using Cairn.Repository;

namespace Cairn.Restore.Browse;

/// <summary>
/// The most recently read data blobs, up to a byte budget (least recently used dropped first), so reads of
/// neighbouring ranges of a mounted file decrypt each blob once.
/// </summary>
internal sealed class BlobCache(long capacityBytes)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Id, LinkedListNode<(Id Id, byte[] Plaintext)>> _entries = [];
    private readonly LinkedList<(Id Id, byte[] Plaintext)> _recency = new();
    private long _bytes;

    public long Bytes
    {
        get
        {
            lock (_gate)
            {
                return _bytes;
            }
        }
    }

    public bool TryGet(Id id, out byte[] plaintext)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(id, out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                plaintext = node.Value.Plaintext;
                return true;
            }
        }

        plaintext = [];
        return false;
    }

    public void Add(Id id, byte[] plaintext)
    {
        if (plaintext.Length > capacityBytes)
        {
            return;
        }

        lock (_gate)
        {
            if (_entries.ContainsKey(id))
            {
                return;
            }

            _entries[id] = _recency.AddFirst((id, plaintext));
            _bytes += plaintext.Length;
            while (_bytes > capacityBytes && _recency.Last is { } oldest)
            {
                _recency.RemoveLast();
                _entries.Remove(oldest.Value.Id);
                _bytes -= oldest.Value.Plaintext.Length;
            }
        }
    }
}
