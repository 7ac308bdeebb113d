namespace Cairn.Platform.Tests;

/// <summary>Owner, mode, attributes and times set through an open file, as a restore does after the last write.</summary>
public sealed class HandleMetadataTests(SampleTree tree) : IClassFixture<SampleTree>
{
    [Fact]
    public void Each_setter_through_a_handle_leaves_what_lstat_and_getfattr_then_report()
    {
        var path = tree.Top.Join("by-handle"u8);
        var access = GoTime.Parse("2003-04-05T06:07:08.123456789Z");
        var modify = GoTime.Parse("2004-05-06T07:08:09.987654321Z");
        using (var handle = PosixFileSystem.CreateFile(path, 0x180))
        {
            RandomAccess.Write(handle, "content"u8, 0);
            PosixFileSystem.SetOwner(handle, 1234, 2345, path);
            PosixFileSystem.SetPermissions(handle, 0x9ED, path); // 04755: set after the owner, which would clear it
            PosixFileSystem.SetXattr(handle, "user.note"u8, [1, 0, 2], path);
            PosixFileSystem.SetTimes(handle, access, modify, path);
        }

        var status = PosixFileSystem.LStat(path);
        (status.Uid, status.Gid, status.Permissions).Should().Be((1234u, 2345u, 0x9EDu));
        (status.AccessTime, status.ModifyTime).Should().Be((access, modify));
        PosixFileSystem.ListXattrs(path).Should().ContainSingle().Which.Value.Should().Equal(1, 0, 2);
        Shell.Run($"stat -c %a {Shell.Quote(path)}").Should().Equal("4755\n"u8.ToArray());
    }

    [Fact]
    public void A_failure_names_the_path_it_was_given()
    {
        var path = tree.Top.Join("closed-later"u8);
        using var handle = PosixFileSystem.CreateFile(path, 0x180);

        var act = () => PosixFileSystem.SetXattr(handle, "nonsense.namespace"u8, [1], path);

        act.Should().Throw<PosixException>().Which.Message.Should().Contain(path.ToString());
    }
}
