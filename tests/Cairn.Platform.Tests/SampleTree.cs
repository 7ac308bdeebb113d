using System.Net.Sockets;
using System.Text;

namespace Cairn.Platform.Tests;

/// <summary>
/// A temporary tree with every kind of file, made by coreutils, mknod and setfattr (not by the code under test):
/// awkward names (space, newline, Unicode, bytes that are not UTF-8), a hard link, symlinks, a fifo, device
/// nodes, a socket, setuid/setgid/sticky bits, foreign owners, xattrs and nanosecond timestamps.
/// </summary>
public sealed class SampleTree : IDisposable
{
    public static readonly byte[] Plain = "plain"u8.ToArray();
    public static readonly byte[] HardLink = "hard"u8.ToArray();
    public static readonly byte[] WithSpace = "with space"u8.ToArray();
    public static readonly byte[] NewlineDirectory = "new\nline"u8.ToArray();
    public static readonly byte[] Unicode = Encoding.UTF8.GetBytes("Grüße ☃ 日本");
    public static readonly byte[] BadBytes = [.. "bad"u8, 0xff, 0xfe];
    public static readonly byte[] Symlink = "link"u8.ToArray();
    public static readonly byte[] Dangling = [.. "dangling"u8, 0xff];
    public static readonly byte[] DanglingTarget = [.. "target"u8, 0xff, .. "/nowhere"u8];
    public static readonly byte[] DirectorySymlink = "dirlink"u8.ToArray();
    public static readonly byte[] Fifo = "fifo"u8.ToArray();
    public static readonly byte[] CharDevice = "chr"u8.ToArray();
    public static readonly byte[] BlockDevice = "blk"u8.ToArray();
    public static readonly byte[] BigDevice = "bigdev"u8.ToArray();
    public static readonly byte[] Setuid = "setuid"u8.ToArray();
    public static readonly byte[] Sticky = "sticky"u8.ToArray();
    public static readonly byte[] Setgid = "setgid"u8.ToArray();
    public static readonly byte[] Owned = "owned"u8.ToArray();
    public static readonly byte[] DaemonOwned = "daemon-owned"u8.ToArray();
    public static readonly byte[] Socket = "sock"u8.ToArray();
    public static readonly byte[] Nested = "dir"u8.ToArray();

    /// <summary>Characters Go's strconv.Quote escapes: quote, tab, backslash, no-break and zero-width space, a control byte.</summary>
    public static readonly byte[] Escapable = Encoding.UTF8.GetBytes("q\"uo\te\\ \u00a0\u200b\U0001F600\u0001");

    /// <summary>plain's mtime and atime as touch set them.</summary>
    public static readonly Timestamp PlainModifyTime = GoTime.Parse("2001-02-03T04:05:06.123456789Z");
    public static readonly Timestamp PlainAccessTime = GoTime.Parse("2002-03-04T05:06:07.987654321Z");

    private readonly string _top;

    public SampleTree()
    {
        _top = Directory.CreateTempSubdirectory("cairn-platform-").FullName;
        Top = RawPath.FromString(_top);
        Root = Top.Join("source"u8);
        Shell.Run($"""
            mkdir {Shell.Quote(Root)}
            cd {Shell.Quote(Root)}
            umask 022
            printf 'hello\n' > plain
            head -c 5000 /dev/zero | tr '\0' x > 'with space'
            mkdir {Shell.Quote(NewlineDirectory)}
            printf 'inner' > {Shell.Quote(NewlineDirectory)}/inner
            printf 'unicode' > {Shell.Quote(Unicode)}
            printf 'bad bytes' > {Shell.Quote(BadBytes)}
            printf 'escapable' > {Shell.Quote(Escapable)}
            ln plain hard
            ln -s plain link
            ln -s {Shell.Quote(DanglingTarget)} {Shell.Quote(Dangling)}
            mkfifo -m 0640 fifo
            mknod -m 0620 chr c 1 3
            mknod -m 0660 blk b 7 200
            mknod -m 0600 bigdev c 4095 1048575
            printf '#!/bin/sh\n' > setuid
            chmod 4755 setuid
            mkdir sticky setgid
            chmod 1777 sticky
            chmod 2750 setgid
            mkdir -p dir/sub
            printf 'deep' > 'dir/sub/deep file'
            ln -s dir dirlink
            touch owned daemon-owned
            chown 1234:5678 owned
            chown daemon:sys daemon-owned
            setfattr -n user.comment -v 'a comment' plain
            setfattr -n user.empty plain
            setfattr -n user.binary -v 0x00ff10 {Shell.Quote(BadBytes)}
            setfattr -n user.dir -v yes sticky
            touch -m -d '2001-02-03 04:05:06.123456789 UTC' plain
            touch -a -d '2002-03-04 05:06:07.987654321 UTC' plain
            touch -h -d '2003-04-05 06:07:08.5 UTC' link
            touch -d '1999-12-31 23:59:59.000000001 UTC' {Shell.Quote(BadBytes)} fifo chr
            touch -d '2010-01-01 00:00:00.25 UTC' dir/sub dir {Shell.Quote(NewlineDirectory)} sticky setgid
            """);
        // No shell tool leaves a socket behind, and .NET unlinks the one it bound when closing it:
        // bind one, give its inode a second name, and let .NET remove the first.
        var bound = Path.Combine(_top, "source", "sock.bound");
        using (var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            socket.Bind(new UnixDomainSocketEndPoint(bound));
            Shell.Run($"ln {Shell.Quote(RawPath.FromString(bound))} {Shell.Quote(Root.Join(Socket))}");
        }
        if (File.Exists(bound))
        {
            File.Delete(bound);
        }
    }

    /// <summary>The temporary folder; <see cref="Root"/> is in it, tests add their own siblings.</summary>
    public RawPath Top { get; }

    /// <summary>The sample tree.</summary>
    public RawPath Root { get; }

    public RawPath this[byte[] name] => Root.Join(name);

    /// <summary>root/relative, where relative may hold several names.</summary>
    public static RawPath Under(RawPath root, byte[] relative) => new([.. root.Bytes, (byte)'/', .. relative]);

    /// <summary>Every path under <paramref name="root"/> as find(1) lists it, relative to it.</summary>
    public static List<byte[]> FindAll(RawPath root) =>
        Shell.SplitOn(Shell.Run($"cd {Shell.Quote(root)} && find . -mindepth 1 -printf '%P\\0'"), 0);

    public void Dispose() => Shell.Run($"rm -rf {Shell.Quote(RawPath.FromString(_top))}");
}
