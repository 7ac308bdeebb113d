using System.Text;

namespace Cairn.Platform.Tests;

/// <summary>Handles from OpenRead, CreateFile and OpenWrite with RandomAccess, Stat and Truncate.</summary>
public sealed class FileHandleTests(SampleTree tree) : IClassFixture<SampleTree>
{
    [Fact]
    public void OpenRead_reads_a_file_whose_name_is_not_UTF8()
    {
        using var handle = PosixFileSystem.OpenRead(tree[SampleTree.BadBytes]);
        var buffer = new byte[64];
        int read = RandomAccess.Read(handle, buffer, 0);
        Encoding.UTF8.GetString(buffer, 0, read).Should().Be("bad bytes");
        RandomAccess.GetLength(handle).Should().Be(9);
    }

    [Fact]
    public void OpenRead_leaves_the_access_time_alone()
    {
        // Control: under relatime a plain read of a file whose atime is older than its ctime moves the atime.
        var control = tree.Top.Join("control"u8);
        File.WriteAllText(control.ToString(), "control");
        PosixFileSystem.SetTimes(control, SampleTree.PlainAccessTime, SampleTree.PlainModifyTime);
        File.ReadAllText(control.ToString());
        PosixFileSystem.LStat(control).AccessTime.Should().NotBe(SampleTree.PlainAccessTime, "this file system updates atime on read");

        var plain = tree[SampleTree.Plain];
        var before = PosixFileSystem.LStat(plain);
        using (var handle = PosixFileSystem.OpenRead(plain))
        {
            RandomAccess.Read(handle, new byte[16], 0).Should().Be(6);
        }
        PosixFileSystem.LStat(plain).AccessTime.Should().Be(before.AccessTime);
    }

    [Fact]
    public void CreateFile_takes_parallel_positioned_writes()
    {
        var path = tree.Top.Join([.. "parallel "u8, 0xff]);
        var expected = new byte[1 << 20];
        new Random(7).NextBytes(expected);
        const int chunk = 1 << 16;
        using (var handle = PosixFileSystem.CreateFile(path, Convert.ToUInt32("600", 8)))
        {
            Parallel.For(0, expected.Length / chunk, i =>
                RandomAccess.Write(handle, expected.AsSpan(i * chunk, chunk), (long)i * chunk));
        }
        ReadAll(path).Should().Equal(expected);
        var status = PosixFileSystem.LStat(path);
        (status.Kind, status.Size, status.Permissions).Should().Be((FileKind.File, expected.Length, Convert.ToUInt32("600", 8)));
    }

    [Fact]
    public void Truncate_cuts_and_extends_with_zeros()
    {
        var path = tree.Top.Join("truncated"u8);
        using (var handle = PosixFileSystem.CreateFile(path, 420))
        {
            RandomAccess.Write(handle, "0123456789"u8, 0);
            PosixFileSystem.Truncate(handle, 4);
            PosixFileSystem.Stat(handle).Size.Should().Be(4);
            PosixFileSystem.Truncate(handle, 8);
        }
        ReadAll(path).Should().Equal([.. "0123"u8, 0, 0, 0, 0]);
    }

    [Fact]
    public void OpenWrite_rewrites_an_existing_file_in_place()
    {
        var path = tree.Top.Join("rewritten"u8);
        using (var handle = PosixFileSystem.CreateFile(path, 420))
        {
            RandomAccess.Write(handle, "aaaaaa"u8, 0);
        }
        var inode = PosixFileSystem.LStat(path).Inode;
        using (var handle = PosixFileSystem.OpenWrite(path))
        {
            RandomAccess.Write(handle, "bb"u8, 2);
        }
        ReadAll(path).Should().Equal("aabbaa"u8.ToArray());
        PosixFileSystem.LStat(path).Inode.Should().Be(inode);
    }

    [Fact]
    public void A_closed_handle_is_refused()
    {
        var handle = PosixFileSystem.OpenRead(tree[SampleTree.Plain]);
        handle.Dispose();
        Assert.Throws<ObjectDisposedException>(() => PosixFileSystem.Stat(handle));
        Assert.Throws<ObjectDisposedException>(() => PosixFileSystem.Truncate(handle, 0));
    }

    [Fact]
    public void Remove_deletes_files_symlinks_and_empty_directories()
    {
        var directory = tree.Top.Join("to-remove"u8);
        PosixFileSystem.CreateDirectory(directory, 493);
        var file = directory.Join([0xff]);
        PosixFileSystem.CreateFile(file, 420).Dispose();
        var link = directory.Join("link"u8);
        PosixFileSystem.CreateSymlink("nowhere"u8.ToArray(), link);

        PosixFileSystem.Remove(file);
        PosixFileSystem.Remove(link);
        PosixFileSystem.Remove(directory);
        PosixFileSystem.Exists(directory).Should().BeFalse();
    }

    [Fact]
    public void Rename_replaces_the_destination_atomically()
    {
        var from = tree.Top.Join("from"u8);
        var to = tree.Top.Join([.. "to"u8, 0xfe]);
        PosixFileSystem.CreateFile(to, 420).Dispose();
        using (var handle = PosixFileSystem.CreateFile(from, 420))
        {
            RandomAccess.Write(handle, "new"u8, 0);
        }
        PosixFileSystem.Rename(from, to);
        PosixFileSystem.Exists(from).Should().BeFalse();
        ReadAll(to).Should().Equal("new"u8.ToArray());
    }

    [Fact]
    public void RealPath_resolves_symlinks_and_dots()
    {
        var viaLink = new RawPath([.. tree[SampleTree.DirectorySymlink].Bytes, .. "/./sub/.."u8]);
        PosixFileSystem.RealPath(viaLink).Should().Be(PosixFileSystem.RealPath(tree[SampleTree.Nested]));
        PosixFileSystem.RealPath(tree[SampleTree.BadBytes]).FileName.ToArray().Should().Equal(SampleTree.BadBytes);
        PosixFileSystem.RealPath(tree[SampleTree.BadBytes]).IsAbsolute.Should().BeTrue();
    }

    private static byte[] ReadAll(RawPath path)
    {
        using var handle = PosixFileSystem.OpenRead(path);
        var content = new byte[RandomAccess.GetLength(handle)];
        int total = 0;
        while (total < content.Length)
        {
            int read = RandomAccess.Read(handle, content.AsSpan(total), total);
            read.Should().BePositive();
            total += read;
        }
        return content;
    }
}
