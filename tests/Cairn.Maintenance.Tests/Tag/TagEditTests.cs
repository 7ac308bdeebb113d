using Cairn.Maintenance.Tag;

namespace Cairn.Maintenance.Tests.Tag;

public sealed class TagEditTests
{
    [Fact]
    public void Add_appends_only_missing_tags_in_the_order_given()
    {
        var edit = TagEdit.Parse([], [" b , a", "b,,c"], []);

        edit.Apply(["a"]).Should().Equal("a", "b", "c");
    }

    [Fact]
    public void Remove_drops_every_named_tag_and_add_comes_first()
    {
        var edit = TagEdit.Parse([], ["x"], ["a,x"]);

        edit.Apply(["a", "b", "a"]).Should().Equal("b");
    }

    [Fact]
    public void An_edit_that_changes_nothing_returns_null()
    {
        TagEdit.Parse([], ["a"], ["z"]).Apply(["a", "b"]).Should().BeNull();
        TagEdit.Parse(["b,a"], [], []).Apply(["b", "a"]).Should().BeNull();
        TagEdit.Parse([""], [], []).Apply(null).Should().BeNull();
    }

    [Fact]
    public void Set_replaces_everything_and_an_empty_set_clears()
    {
        TagEdit.Parse(["c", "d,c"], [], []).Apply(["a"]).Should().Equal("c", "d");
        TagEdit.Parse([""], [], []).Apply(["a"]).Should().BeEmpty();
    }

    [Fact]
    public void Nothing_to_do_and_set_with_add_or_remove_are_refused()
    {
        FluentActions.Invoking(() => TagEdit.Parse([], [], [])).Should().Throw<FormatException>().WithMessage("nothing to do*");
        FluentActions.Invoking(() => TagEdit.Parse(["a"], ["b"], [])).Should().Throw<FormatException>().WithMessage("--set and --add/--remove*");
        FluentActions.Invoking(() => TagEdit.Parse(["a"], [], ["b"])).Should().Throw<FormatException>();
    }
}
