using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;

namespace Cairn.Repository.Internal.Crypto;

/// <summary>
/// The scrypt key derivation function of RFC 7914: PBKDF2-HMAC-SHA256 around p independent ROMix lanes of
/// Salsa20/8 BlockMix. The lanes run in parallel. restic's key files use it (e.g. N=32768, r=8, p=9).
/// </summary>
public static class Scrypt
{
    // Salsa20 words of a 64-byte block are kept in "diagonal" order so that a column round is four
    // vector operations on whole Vector128s: (0,5,10,15) (4,9,14,3) (8,13,2,7) (12,1,6,11).
    private static ReadOnlySpan<byte> DiagonalOrder => [0, 5, 10, 15, 4, 9, 14, 3, 8, 13, 2, 7, 12, 1, 6, 11];

    private const int VectorsPerSalsaBlock = 4;

    /// <summary>Derives a key with scrypt (RFC 7914), as key files require.</summary>
    public static byte[] DeriveKey(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, int n, int r, int p, int length)
    {
        if (n < 2 || !BitOperations.IsPow2(n))
        {
            throw new ArgumentOutOfRangeException(nameof(n), n, "N must be a power of two greater than 1.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(r, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(p, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        var laneBytes = 128L * r;
        if (laneBytes * p > Array.MaxLength || (long)n * 8 * r > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(r), "N, r and p ask for more memory than an array can hold.");
        }

        var b = new byte[laneBytes * p];
        Rfc2898DeriveBytes.Pbkdf2(password, salt, b, 1, HashAlgorithmName.SHA256);

        var vectorsPerLane = 8 * r;
        if (p == 1)
        {
            // One lane (Cairn's own keys): no worker threads spinning beside it.
            var memory = new LaneMemory(n, vectorsPerLane);
            RoMix(b, n, r, memory);
            memory.Clear();
        }
        else
        {
            var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Min(p, Environment.ProcessorCount) };
            Parallel.For(
                0,
                p,
                options,
                () => new LaneMemory(n, vectorsPerLane),
                (lane, _, memory) =>
                {
                    RoMix(b.AsSpan((int)(lane * laneBytes), (int)laneBytes), n, r, memory);
                    return memory;
                },
                static memory => memory.Clear());
        }

        var result = new byte[length];
        Rfc2898DeriveBytes.Pbkdf2(password, b, result, 1, HashAlgorithmName.SHA256);
        CryptographicOperations.ZeroMemory(b);
        return result;
    }

    /// <summary>
    /// The working memory of one thread: V (N blocks of 128·r bytes, 32 MiB for restic's N=2^15, r=8) and two block
    /// buffers. V is native memory, wiped and given back to the system as soon as the lane is done, so the memory
    /// the KDF needs does not stay in the process for the rest of a backup or restore.
    /// </summary>
    private sealed unsafe class LaneMemory
    {
        private readonly int _length;
        private Vector128<uint>* _v;

        public LaneMemory(int n, int vectorsPerBlock)
        {
            _length = n * vectorsPerBlock;
            _v = (Vector128<uint>*)NativeMemory.Alloc((nuint)_length, (nuint)sizeof(Vector128<uint>));
            X = new Vector128<uint>[vectorsPerBlock];
            Y = new Vector128<uint>[vectorsPerBlock];
        }

        public Span<Vector128<uint>> V => _v is null ? throw new ObjectDisposedException(nameof(LaneMemory)) : new Span<Vector128<uint>>(_v, _length);

        public Vector128<uint>[] X { get; }

        public Vector128<uint>[] Y { get; }

        /// <summary>Wipes the password-derived state and frees V once the thread has run its last lane.</summary>
        public void Clear()
        {
            if (_v is not null)
            {
                V.Clear();
                NativeMemory.Free(_v);
                _v = null;
            }

            Array.Clear(X);
            Array.Clear(Y);
        }
    }

    // Optimized from the first call: the KDF runs once per command, and tier-0 code (later patched by on-stack
    // replacement) would keep the whole derivation several times slower than the optimized loop.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RoMix(Span<byte> block, int n, int r, LaneMemory memory)
    {
        var size = 8 * r;
        var v = memory.V;
        var x = memory.X.AsSpan();
        var y = memory.Y.AsSpan();

        Load(block, v[..size]);
        for (var i = 0; i < n - 1; i++)
        {
            BlockMix(v.Slice(i * size, size), v.Slice((i + 1) * size, size), r);
        }

        BlockMix(v.Slice((n - 1) * size, size), x, r);

        var mask = (uint)(n - 1);
        var lastBlock = (2 * r - 1) * VectorsPerSalsaBlock;
        for (var i = 0; i < n; i++)
        {
            // Integerify: the first little-endian word of the last 64-byte block (word 0 stays in lane 0).
            var j = (int)(x[lastBlock].ToScalar() & mask);
            var vj = v.Slice(j * size, size);
            for (var k = 0; k < size; k++)
            {
                x[k] ^= vj[k];
            }

            BlockMix(x, y, r);
            var swap = x;
            x = y;
            y = swap;
        }

        Store(x, block);
    }

    /// <summary>RFC 7914 section 4: output = (Y0, Y2, …, Y2r-2, Y1, Y3, …, Y2r-1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BlockMix(ReadOnlySpan<Vector128<uint>> input, Span<Vector128<uint>> output, int r)
    {
        var last = (2 * r - 1) * VectorsPerSalsaBlock;
        var a = input[last];
        var b = input[last + 1];
        var c = input[last + 2];
        var d = input[last + 3];
        for (var i = 0; i < 2 * r; i++)
        {
            var src = i * VectorsPerSalsaBlock;
            a ^= input[src];
            b ^= input[src + 1];
            c ^= input[src + 2];
            d ^= input[src + 3];
            Salsa208(ref a, ref b, ref c, ref d);
            var dst = ((i & 1) * r + (i >> 1)) * VectorsPerSalsaBlock;
            output[dst] = a;
            output[dst + 1] = b;
            output[dst + 2] = c;
            output[dst + 3] = d;
        }
    }

    /// <summary>Salsa20/8 on one block in diagonal order: four double rounds, then the input added back.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Salsa208(ref Vector128<uint> x0, ref Vector128<uint> x1, ref Vector128<uint> x2, ref Vector128<uint> x3)
    {
        var a = x0;
        var b = x1;
        var c = x2;
        var d = x3;
        for (var round = 0; round < 4; round++)
        {
            // Column round on (a, b, c, d) = diagonals.
            b ^= RotateLeft(a + d, 7);
            c ^= RotateLeft(b + a, 9);
            d ^= RotateLeft(c + b, 13);
            a ^= RotateLeft(d + c, 18);

            // Rotate the lanes so the row round has the same shape.
            b = Vector128.Shuffle(b, Vector128.Create(3u, 0, 1, 2));
            c = Vector128.Shuffle(c, Vector128.Create(2u, 3, 0, 1));
            d = Vector128.Shuffle(d, Vector128.Create(1u, 2, 3, 0));

            d ^= RotateLeft(a + b, 7);
            c ^= RotateLeft(d + a, 9);
            b ^= RotateLeft(c + d, 13);
            a ^= RotateLeft(b + c, 18);

            b = Vector128.Shuffle(b, Vector128.Create(1u, 2, 3, 0));
            c = Vector128.Shuffle(c, Vector128.Create(2u, 3, 0, 1));
            d = Vector128.Shuffle(d, Vector128.Create(3u, 0, 1, 2));
        }

        x0 += a;
        x1 += b;
        x2 += c;
        x3 += d;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<uint> RotateLeft(Vector128<uint> value, int count) =>
        Vector128.ShiftLeft(value, count) | Vector128.ShiftRightLogical(value, 32 - count);

    private static void Load(ReadOnlySpan<byte> bytes, Span<Vector128<uint>> vectors)
    {
        Span<uint> words = stackalloc uint[16];
        var order = DiagonalOrder;
        for (var block = 0; block < vectors.Length / VectorsPerSalsaBlock; block++)
        {
            var source = bytes.Slice(block * 64, 64);
            for (var k = 0; k < 16; k++)
            {
                words[k] = BinaryPrimitives.ReadUInt32LittleEndian(source[(order[k] * 4)..]);
            }

            for (var q = 0; q < VectorsPerSalsaBlock; q++)
            {
                vectors[block * VectorsPerSalsaBlock + q] = Vector128.Create(words[q * 4], words[q * 4 + 1], words[q * 4 + 2], words[q * 4 + 3]);
            }
        }
    }

    private static void Store(ReadOnlySpan<Vector128<uint>> vectors, Span<byte> bytes)
    {
        var order = DiagonalOrder;
        for (var block = 0; block < vectors.Length / VectorsPerSalsaBlock; block++)
        {
            var target = bytes.Slice(block * 64, 64);
            for (var k = 0; k < 16; k++)
            {
                var word = vectors[block * VectorsPerSalsaBlock + k / 4].GetElement(k % 4);
                BinaryPrimitives.WriteUInt32LittleEndian(target[(order[k] * 4)..], word);
            }
        }
    }
}
