namespace Cairn.Platform.Tests;

public sealed class ErrorTests(SampleTree tree) : IClassFixture<SampleTree>
{
    [Fact]
    public void A_missing_path_is_ENOENT_with_the_path_in_the_message()
    {
        var missing = tree.Root.Join("missing"u8);
        var error = Assert.Throws<PosixException>(() => PosixFileSystem.LStat(missing));
        error.Errno.Should().Be(Errno.ENOENT);
        error.Path.Should().Be(missing);
        error.Operation.Should().Be("lstat");
        error.Message.Should().Be($"lstat {missing}: No such file or directory");
        error.Should().BeAssignableTo<IOException>();
    }

    [Fact]
    public void Bytes_that_are_not_UTF8_show_as_hex_escapes_in_messages()
    {
        var path = tree[SampleTree.BadBytes].Join("child"u8);
        var error = Assert.Throws<PosixException>(() => PosixFileSystem.LStat(path));
        error.Errno.Should().Be(Errno.ENOTDIR);
        error.Message.Should().Be($"lstat {tree.Root}/bad\\xff\\xfe/child: Not a directory");
        error.Path.Bytes.ToArray().Should().Equal(path.Bytes.ToArray());
    }

    [Fact]
    public void Creating_over_an_existing_name_is_EEXIST()
    {
        var plain = tree[SampleTree.Plain];
        Assert.Throws<PosixException>(() => PosixFileSystem.CreateFile(plain, 420)).Errno.Should().Be(Errno.EEXIST);
        Assert.Throws<PosixException>(() => PosixFileSystem.CreateDirectory(plain, 493)).Errno.Should().Be(Errno.EEXIST);
        Assert.Throws<PosixException>(() => PosixFileSystem.CreateDirectory(tree[SampleTree.DirectorySymlink], 493))
            .Errno.Should().Be(Errno.EEXIST, "a symlink to a directory is not a directory");
        Assert.Throws<PosixException>(() => PosixFileSystem.CreateSymlink("x"u8.ToArray(), plain)).Errno.Should().Be(Errno.EEXIST);
        Assert.Throws<PosixException>(() => PosixFileSystem.CreateFifo(plain, 420)).Errno.Should().Be(Errno.EEXIST);
        Assert.Throws<PosixException>(() => PosixFileSystem.CreateDeviceNode(plain, FileKind.CharDevice, 420, DeviceNumber.Make(1, 3)))
            .Errno.Should().Be(Errno.EEXIST);
        var error = Assert.Throws<PosixException>(() => PosixFileSystem.CreateHardLink(tree[SampleTree.WithSpace], plain));
        error.Errno.Should().Be(Errno.EEXIST);
        error.OtherPath.Should().Be(plain);
        error.Message.Should().Be($"link {tree[SampleTree.WithSpace]} {plain}: File exists");
    }

    [Fact]
    public void CreateDirectory_accepts_an_existing_directory()
    {
        PosixFileSystem.CreateDirectory(tree[SampleTree.Sticky], 493);
        PosixFileSystem.LStat(tree[SampleTree.Sticky]).Permissions.Should().Be(Convert.ToUInt32("1777", 8), "nothing was changed");
    }

    [Fact]
    public void CreateFile_does_not_write_through_a_dangling_symlink()
    {
        var error = Assert.Throws<PosixException>(() => PosixFileSystem.CreateFile(tree[SampleTree.Dangling], 420));
        error.Errno.Should().Be(Errno.EEXIST);
    }

    [Fact]
    public void Opening_through_a_final_symlink_is_refused()
    {
        Assert.Throws<PosixException>(() => PosixFileSystem.OpenRead(tree[SampleTree.Symlink])).Errno.Should().Be(Errno.ELOOP);
        Assert.Throws<PosixException>(() => PosixFileSystem.OpenWrite(tree[SampleTree.Symlink])).Errno.Should().Be(Errno.ELOOP);
        Assert.Throws<PosixException>(() => PosixFileSystem.ReadDirectory(tree[SampleTree.DirectorySymlink]))
            .Errno.Should().Be(Errno.ENOTDIR, "O_DIRECTORY|O_NOFOLLOW refuses a symlink as not a directory");
    }

    [Fact]
    public void Wrong_kinds_are_refused()
    {
        Assert.Throws<PosixException>(() => PosixFileSystem.ReadLink(tree[SampleTree.Plain])).Errno.Should().Be(Errno.EINVAL);
        Assert.Throws<PosixException>(() => PosixFileSystem.ReadDirectory(tree[SampleTree.Plain])).Errno.Should().Be(Errno.ENOTDIR);
        Assert.Throws<PosixException>(() => PosixFileSystem.OpenWrite(tree[SampleTree.Fifo]))
            .Errno.Should().Be(Errno.ENXIO, "a fifo without reader is refused instead of blocking");
        var device = Assert.Throws<PosixException>(() => PosixFileSystem.OpenWrite(tree[SampleTree.CharDevice]));
        device.Errno.Should().Be(Errno.EINVAL);
        device.Message.Should().Be($"open {tree[SampleTree.CharDevice]}: not a regular file but a CharDevice");
        Assert.Throws<PosixException>(() => PosixFileSystem.OpenWrite(tree[SampleTree.Nested])).Errno.Should().Be(Errno.EISDIR);
    }

    [Fact]
    public void OpenRead_of_a_fifo_does_not_block()
    {
        using var handle = PosixFileSystem.OpenRead(tree[SampleTree.Fifo]);
        PosixFileSystem.Stat(handle).Kind.Should().Be(FileKind.Fifo, "the caller checks the kind of what it opened");
    }

    [Fact]
    public void Remove_and_Rename_report_the_errno()
    {
        var missing = tree.Root.Join("missing"u8);
        Assert.Throws<PosixException>(() => PosixFileSystem.Remove(missing)).Errno.Should().Be(Errno.ENOENT);
        var notEmpty = Assert.Throws<PosixException>(() => PosixFileSystem.Remove(tree[SampleTree.Nested]));
        (notEmpty.Errno, notEmpty.Operation).Should().Be((Errno.ENOTEMPTY, "rmdir"));
        var rename = Assert.Throws<PosixException>(() => PosixFileSystem.Rename(missing, tree.Root.Join("other"u8)));
        rename.Errno.Should().Be(Errno.ENOENT);
        rename.Message.Should().Be($"rename {missing} {tree.Root}/other: No such file or directory");
        Assert.Throws<PosixException>(() => PosixFileSystem.RealPath(missing)).Errno.Should().Be(Errno.ENOENT);
        Assert.Throws<PosixException>(() => PosixFileSystem.SetTimes(missing, default, default)).Errno.Should().Be(Errno.ENOENT);
        Assert.Throws<PosixException>(() => PosixFileSystem.SetOwner(missing, 0, 0)).Errno.Should().Be(Errno.ENOENT);
        Assert.Throws<PosixException>(() => PosixFileSystem.SetPermissions(missing, 420)).Errno.Should().Be(Errno.ENOENT);
        Assert.Throws<PosixException>(() => PosixFileSystem.ListXattrs(missing)).Errno.Should().Be(Errno.ENOENT);
    }

    [Fact]
    public void Xattr_errors_name_the_attribute()
    {
        // Linux allows user.* attributes on regular files and directories only.
        var error = Assert.Throws<PosixException>(() => PosixFileSystem.SetXattr(tree[SampleTree.Fifo], "user.x"u8, "1"u8));
        error.Errno.Should().Be(Errno.EPERM);
        error.Message.Should().Be($"lsetxattr {tree[SampleTree.Fifo]}: user.x: Operation not permitted");
        Assert.Throws<PosixException>(() => PosixFileSystem.SetXattr(tree[SampleTree.Plain], "nonamespace"u8, "1"u8))
            .Errno.Should().Be(Errno.ENOTSUP);
    }

    [Fact]
    public void Arguments_are_checked_before_any_call()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PosixFileSystem.CreateFile(tree.Root.Join("x"u8), 0x1000));
        Assert.Throws<ArgumentOutOfRangeException>(() => PosixFileSystem.CreateDeviceNode(tree.Root.Join("x"u8), FileKind.Fifo, 420, 0));
        Assert.Throws<ArgumentException>(() => PosixFileSystem.CreateSymlink([(byte)'a', 0], tree.Root.Join("x"u8)));
        Assert.Throws<ArgumentException>(() => PosixFileSystem.SetXattr(tree[SampleTree.Plain], "user.a\0b"u8, []));
        PosixFileSystem.Exists(tree.Root.Join("x"u8)).Should().BeFalse();
    }
}
