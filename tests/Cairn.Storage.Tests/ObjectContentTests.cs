using AwesomeAssertions;
using Xunit;

namespace Cairn.Storage.Tests;

public sealed class ObjectContentTests
{
    [Fact]
    public async Task Rewindable_content_starts_at_its_first_byte_on_every_open()
    {
        var bytes = "0123456789"u8.ToArray();
        var seekable = new MemoryStream(bytes) { Position = 3 };
        foreach (var (content, expected) in new[]
                 {
                     (ObjectContent.FromMemory(bytes), bytes),
                     (ObjectContent.FromSeekable(seekable), bytes[3..]),
                     (ObjectContent.Reopenable(() => new MemoryStream(bytes), bytes.Length), bytes),
                 })
        {
            content.CanRewind.Should().BeTrue();
            content.Length.Should().Be(expected.Length);
            for (var attempt = 0; attempt < 2; attempt++)
            {
                await using var stream = content.Open();
                var first = new byte[2];
                await stream.ReadExactlyAsync(first, TestContext.Current.CancellationToken);
                first.Should().Equal(expected[..2]);
            }
        }

        seekable.CanRead.Should().BeTrue("disposing an attempt's stream leaves the caller's stream open");
    }

    [Fact]
    public void A_one_pass_content_opens_once_and_says_it_cannot_rewind()
    {
        var content = ObjectContent.OnePass(new MemoryStream(new byte[4]));

        content.CanRewind.Should().BeFalse();
        content.Open().Should().NotBeNull();
        content.Invoking(c => c.Open()).Should().Throw<InvalidOperationException>().WithMessage("*opened twice*");
    }

    [Fact]
    public void A_stream_that_cannot_seek_is_not_taken_as_rewindable()
    {
        var unseekable = new Testing.NonSeekableStream(new byte[4]);

        FluentActions.Invoking(() => ObjectContent.FromSeekable(unseekable)).Should().Throw<ArgumentException>().WithMessage("*OnePass*");
    }

    [Fact]
    public void A_one_pass_content_shows_what_its_stream_declares()
    {
        var declared = new Testing.DeclaredContentStream(new byte[8]);

        ObjectContent.OnePass(declared).Declared.Should().BeSameAs(declared);
        ObjectContent.OnePass(declared).Wrap(s => s).Declared.Should().BeSameAs(declared);
        ObjectContent.FromMemory(new byte[8]).Declared.Should().BeNull();
    }
}
