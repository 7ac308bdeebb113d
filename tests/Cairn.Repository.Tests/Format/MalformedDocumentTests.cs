using System.Text;
using System.Text.Json;
using Cairn.Repository.Format;
using Cairn.Repository.Internal.Format;

namespace Cairn.Repository.Tests.Format;

/// <summary>
/// Inputs the fuzzer found (tests/fuzz/regressions): documents whose strings are not UTF-8 made the JSON reader throw
/// InvalidOperationException, which no caller maps to "corrupted". They are refused as the parsers promise.
/// </summary>
public sealed class MalformedDocumentTests
{
    private static byte[] WithByte(string before, byte raw, string after) =>
        [.. Encoding.UTF8.GetBytes(before), raw, .. Encoding.UTF8.GetBytes(after)];

    [Fact]
    public void An_index_with_a_string_that_is_not_utf8_is_refused_as_a_format_error()
    {
        var json = WithByte("{\"packs\":[{\"id\":\"" + new string('a', 64) + "\",\"blobs\":[{\"id\":\"" + new string('b', 64) + "\",\"type\":\"", 0x88, "\",\"offset\":0,\"length\":1}]}]}");

        var read = () => IndexReader.Read(json, (_, _) => { });

        read.Should().Throw<FormatException>().WithMessage("*not valid UTF-8*");
    }

    [Fact]
    public void A_tree_with_a_string_that_is_not_utf8_is_refused_as_a_format_error()
    {
        var json = WithByte("{\"nodes\":[{\"name\":\"a\",\"type\":\"file\",\"user\":\"", 0x9e, "\"}]}");

        var decode = () => TreeCodec.Decode(json);

        decode.Should().Throw<FormatException>().WithMessage("*not valid UTF-8*");
    }

    [Fact]
    public void A_tree_that_is_not_json_is_refused_with_the_exceptions_its_loader_maps()
    {
        var decode = () => TreeCodec.Decode("""{"nodes":[{"name":"a"}}"""u8.ToArray());

        decode.Should().Throw<Exception>().Which.Should().Match(e => e is FormatException || e is JsonException);
    }
}
