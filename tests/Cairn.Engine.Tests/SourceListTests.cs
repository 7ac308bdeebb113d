using Cairn.Backup;
using Cairn.Testing.Trees;
using Cairn.Platform;

namespace Cairn.Engine.Tests;

/// <summary>Reading --files-from lists: each form's separators and skips, and Go's glob expansion.</summary>
public sealed class SourceListTests : IDisposable
{
    private readonly Scratch _scratch = new("cairn-source-list-");

    public void Dispose() => _scratch.Dispose();

    private RawPath Touch(params string[] names)
    {
        foreach (var name in names)
        {
            var path = Path.Combine(_scratch.Path, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, name);
        }

        return _scratch.Raw;
    }

    private static string[] Shown(IEnumerable<RawPath> paths) => [.. paths.Select(p => p.ToString())];

    [Fact]
    public void A_glob_expands_in_every_component_in_byte_order_and_a_plain_path_only_if_it_exists()
    {
        var root = Touch("a1/x.log", "a2/y.log", "a2/z.txt", "b/x.log").ToString();

        Shown(SourceList.Expand(RawPath.FromString(root + "/a?/*.log"))).Should().Equal(root + "/a1/x.log", root + "/a2/y.log");
        Shown(SourceList.Expand(RawPath.FromString(root + "/b/x.log"))).Should().Equal(root + "/b/x.log");
        SourceList.Expand(RawPath.FromString(root + "/b/missing")).Should().BeEmpty();
        SourceList.Expand(RawPath.FromString(root + "/[c-z]*")).Should().BeEmpty();
    }

    [Fact]
    public void The_pattern_form_skips_comments_and_blank_lines_and_reports_globs_that_match_nothing()
    {
        var root = Touch("kept").ToString();
        var unmatched = new List<string>();

        var paths = SourceList.Read(System.Text.Encoding.UTF8.GetBytes($"# note\n\n{root}/kept\r\n{root}/none*\n"), SourceListFormat.Patterns, unmatched.Add);

        Shown(paths).Should().Equal(root + "/kept");
        unmatched.Should().Equal(root + "/none*");
    }

    [Fact]
    public void The_verbatim_and_raw_forms_take_names_literally()
    {
        Shown(SourceList.Read("#not a comment\n\n*.log\n"u8, SourceListFormat.Verbatim)).Should().Equal("#not a comment", "*.log");
        Shown(SourceList.Read("two\nlines\0 spaced \0\0"u8, SourceListFormat.Raw)).Should().Equal("two\nlines", " spaced ");
    }
}
