namespace Cairn.Storage.Tests;

public sealed class LocalErrorsTests
{
    [Fact]
    public void A_full_disk_is_a_refusal_not_a_transient_error()
    {
        Assert.SkipUnless(File.Exists("/dev/full"), "needs /dev/full, which fails every write with ENOSPC");
        var error = Record.Exception(() =>
        {
            using var full = new FileStream("/dev/full", FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
            full.Write(new byte[16]);
        });

        error.Should().BeAssignableTo<IOException>();
        LocalErrors.Map(error!, null, "/dev/full").Should().BeOfType<StorageRefusedException>().Which.Message.Should().Contain("no space left");
    }

    [Fact]
    public void Other_io_errors_are_transient_and_missing_files_are_not_found()
    {
        var name = new ObjectName(ObjectKind.Index, new string('0', 64));

        LocalErrors.Map(new IOException("device busy"), name, "x").Should().BeOfType<StorageException>().Which.IsTransient.Should().BeTrue();
        LocalErrors.Map(new FileNotFoundException(), name, "x").Should().BeOfType<ObjectNotFoundException>().Which.ObjectName.Should().Be(name);
        LocalErrors.Map(new UnauthorizedAccessException(), name, "x").Should().BeOfType<StorageRefusedException>();
    }
}
