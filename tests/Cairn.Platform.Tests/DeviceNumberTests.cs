namespace Cairn.Platform.Tests;

public sealed class DeviceNumberTests
{
    [Theory]
    [InlineData(8u, 1u, 2049ul)] // sda1
    [InlineData(259u, 1u, 66305ul)] // nvme0n1p1
    [InlineData(1u, 3u, 259ul)] // /dev/null
    [InlineData(4095u, 1048575u, 0xfffffffful)] // the largest the kernel's 32-bit dev_t holds: 12 bits + 20 bits
    [InlineData(0x1000u, 0u, 0x0000100000000000ul)] // major bits above 12 go to the top
    [InlineData(0u, 0x100000u, 0x0000000100000000ul)] // minor bits above 20 go above the 32 classic bits
    public void Make_major_and_minor_use_glibcs_layout(uint major, uint minor, ulong device)
    {
        DeviceNumber.Make(major, minor).Should().Be(device);
        DeviceNumber.Major(device).Should().Be(major);
        DeviceNumber.Minor(device).Should().Be(minor);
    }

    [Fact]
    public void Every_major_and_minor_round_trips()
    {
        var random = new Random(3);
        for (int i = 0; i < 10_000; i++)
        {
            uint major = (uint)random.NextInt64(0, 1L << 32);
            uint minor = (uint)random.NextInt64(0, 1L << 32);
            ulong device = DeviceNumber.Make(major, minor);
            (DeviceNumber.Major(device), DeviceNumber.Minor(device)).Should().Be((major, minor));
        }
    }

    [Fact]
    public void The_root_file_systems_device_matches_stat()
    {
        var output = Shell.RunText("stat --printf '%d %Hd %Ld' /").Split(' ').Select(ulong.Parse).ToArray();
        var device = PosixFileSystem.LStat(RawPath.FromString("/")).DeviceId;
        device.Should().Be(output[0]);
        ((ulong)DeviceNumber.Major(device), (ulong)DeviceNumber.Minor(device)).Should().Be((output[1], output[2]));
    }
}
