using System.Runtime.InteropServices;

namespace Cairn.Repository.Internal.Crypto;

/// <summary>
/// AES-256-CTR and Poly1305 from the system's OpenSSL 3 (libcrypto.so.3, which .NET itself needs on Linux), whose
/// assembly uses AES-NI/VAES and AVX2 and runs several times faster than the managed code beside it. Loaded once,
/// by name and symbol, so a machine without it falls back to the managed implementations instead of failing.
/// Both primitives are the standard ones (RFC 3686-style full 128-bit big-endian counter; RFC 8439 Poly1305 with
/// the key r ‖ s, r clamped by the library), which is what restic's format uses.
/// </summary>
internal static unsafe class LibCrypto
{
    private static readonly Functions? s_functions = Load();

    /// <summary>Whether OpenSSL was found; when false, callers use the managed code.</summary>
    public static bool IsAvailable => s_functions is not null;

    [ThreadStatic]
    private static CipherContext? t_cipher;

    [ThreadStatic]
    private static MacContext? t_mac;

    /// <summary>AES-256-CTR from the counter block <paramref name="iv16"/>; input and output may be the same buffer.</summary>
    public static void AesCtrTransform(ReadOnlySpan<byte> key32, ReadOnlySpan<byte> iv16, ReadOnlySpan<byte> input, Span<byte> output)
    {
        var f = s_functions ?? throw new PlatformNotSupportedException("OpenSSL's libcrypto is not available.");
        var context = t_cipher ??= new CipherContext(f);
        context.Transform(key32, iv16, input, output);
    }

    /// <summary>The Poly1305 tag of <paramref name="message"/> under the one-time key r (unclamped) ‖ s.</summary>
    public static void Poly1305Tag(ReadOnlySpan<byte> r16, ReadOnlySpan<byte> s16, ReadOnlySpan<byte> message, Span<byte> tag16)
    {
        var f = s_functions ?? throw new PlatformNotSupportedException("OpenSSL's libcrypto is not available.");
        var context = t_mac ??= new MacContext(f);
        context.Tag(r16, s16, message, tag16);
    }

    private static Functions? Load()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("CAIRN_MANAGED_CRYPTO") == "1")
        {
            return null;
        }

        if (!NativeLibrary.TryLoad("libcrypto.so.3", out var library))
        {
            return null;
        }

        try
        {
            var functions = new Functions(library);
            return functions.Poly1305 == IntPtr.Zero || functions.Aes256Ctr == IntPtr.Zero ? null : functions;
        }
        catch (EntryPointNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The entry points used, resolved once.</summary>
    private sealed class Functions
    {
        public Functions(IntPtr library)
        {
            CipherCtxNew = (delegate* unmanaged<IntPtr>)NativeLibrary.GetExport(library, "EVP_CIPHER_CTX_new");
            CipherCtxFree = (delegate* unmanaged<IntPtr, void>)NativeLibrary.GetExport(library, "EVP_CIPHER_CTX_free");
            EncryptInit = (delegate* unmanaged<IntPtr, IntPtr, IntPtr, byte*, byte*, int>)NativeLibrary.GetExport(library, "EVP_EncryptInit_ex");
            EncryptUpdate = (delegate* unmanaged<IntPtr, byte*, int*, byte*, int, int>)NativeLibrary.GetExport(library, "EVP_EncryptUpdate");
            MacCtxNew = (delegate* unmanaged<IntPtr, IntPtr>)NativeLibrary.GetExport(library, "EVP_MAC_CTX_new");
            MacCtxFree = (delegate* unmanaged<IntPtr, void>)NativeLibrary.GetExport(library, "EVP_MAC_CTX_free");
            MacInit = (delegate* unmanaged<IntPtr, byte*, nuint, IntPtr, int>)NativeLibrary.GetExport(library, "EVP_MAC_init");
            MacUpdate = (delegate* unmanaged<IntPtr, byte*, nuint, int>)NativeLibrary.GetExport(library, "EVP_MAC_update");
            MacFinal = (delegate* unmanaged<IntPtr, byte*, nuint*, nuint, int>)NativeLibrary.GetExport(library, "EVP_MAC_final");

            var aes256Ctr = (delegate* unmanaged<IntPtr>)NativeLibrary.GetExport(library, "EVP_aes_256_ctr");
            Aes256Ctr = aes256Ctr();
            var macFetch = (delegate* unmanaged<IntPtr, byte*, byte*, IntPtr>)NativeLibrary.GetExport(library, "EVP_MAC_fetch");
            fixed (byte* name = "POLY1305\0"u8)
            {
                Poly1305 = macFetch(IntPtr.Zero, name, null);
            }
        }

        public IntPtr Aes256Ctr { get; }

        public IntPtr Poly1305 { get; }

        public delegate* unmanaged<IntPtr> CipherCtxNew { get; }

        public delegate* unmanaged<IntPtr, void> CipherCtxFree { get; }

        public delegate* unmanaged<IntPtr, IntPtr, IntPtr, byte*, byte*, int> EncryptInit { get; }

        public delegate* unmanaged<IntPtr, byte*, int*, byte*, int, int> EncryptUpdate { get; }

        public delegate* unmanaged<IntPtr, IntPtr> MacCtxNew { get; }

        public delegate* unmanaged<IntPtr, void> MacCtxFree { get; }

        public delegate* unmanaged<IntPtr, byte*, nuint, IntPtr, int> MacInit { get; }

        public delegate* unmanaged<IntPtr, byte*, nuint, int> MacUpdate { get; }

        public delegate* unmanaged<IntPtr, byte*, nuint*, nuint, int> MacFinal { get; }
    }

    /// <summary>
    /// One thread's cipher context. It keeps the expanded key of the last key used, so blobs under the same master
    /// key only set a new counter block.
    /// </summary>
    private sealed class CipherContext
    {
        // EVP_EncryptUpdate takes an int length.
        private const int MaxUpdate = 1 << 30;

        private readonly Functions _f;
        private readonly IntPtr _context;
        private readonly byte[] _key = new byte[AesCtr.KeySize];
        private bool _keySet;

        public CipherContext(Functions functions)
        {
            _f = functions;
            _context = _f.CipherCtxNew();
            if (_context == IntPtr.Zero)
            {
                throw new OutOfMemoryException("OpenSSL could not allocate a cipher context.");
            }
        }

        ~CipherContext() => _f.CipherCtxFree(_context);

        public void Transform(ReadOnlySpan<byte> key32, ReadOnlySpan<byte> iv16, ReadOnlySpan<byte> input, Span<byte> output)
        {
            fixed (byte* key = key32)
            fixed (byte* iv = iv16)
            {
                var sameKey = _keySet && key32.SequenceEqual(_key);
                Check(sameKey
                    ? _f.EncryptInit(_context, IntPtr.Zero, IntPtr.Zero, null, iv)
                    : _f.EncryptInit(_context, _f.Aes256Ctr, IntPtr.Zero, key, iv));
                if (!sameKey)
                {
                    key32.CopyTo(_key);
                    _keySet = true;
                }
            }

            fixed (byte* source = input)
            fixed (byte* destination = output)
            {
                for (var done = 0; done < input.Length;)
                {
                    var count = Math.Min(MaxUpdate, input.Length - done);
                    int written;
                    Check(_f.EncryptUpdate(_context, destination + done, &written, source + done, count));
                    done += count;
                }
            }
        }
    }

    /// <summary>One thread's Poly1305 context, given a fresh one-time key for every tag.</summary>
    private sealed class MacContext
    {
        private readonly Functions _f;
        private readonly IntPtr _context;

        public MacContext(Functions functions)
        {
            _f = functions;
            _context = _f.MacCtxNew(_f.Poly1305);
            if (_context == IntPtr.Zero)
            {
                throw new OutOfMemoryException("OpenSSL could not allocate a MAC context.");
            }
        }

        ~MacContext() => _f.MacCtxFree(_context);

        public void Tag(ReadOnlySpan<byte> r16, ReadOnlySpan<byte> s16, ReadOnlySpan<byte> message, Span<byte> tag16)
        {
            var key = stackalloc byte[32];
            r16.CopyTo(new Span<byte>(key, 16));
            s16.CopyTo(new Span<byte>(key + 16, 16));
            try
            {
                Check(_f.MacInit(_context, key, 32, IntPtr.Zero));
            }
            finally
            {
                new Span<byte>(key, 32).Clear();
            }

            fixed (byte* data = message)
            fixed (byte* tag = tag16)
            {
                Check(_f.MacUpdate(_context, data, (nuint)message.Length));
                nuint length;
                Check(_f.MacFinal(_context, tag, &length, (nuint)tag16.Length));
            }
        }
    }

    private static void Check(int result)
    {
        if (result != 1)
        {
            throw new System.Security.Cryptography.CryptographicException("OpenSSL reported an error.");
        }
    }
}
