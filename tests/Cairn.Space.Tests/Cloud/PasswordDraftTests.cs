using Cairn.Space.CloudRestore;
using Cairn.Space.Tests.Infrastructure;

namespace Cairn.Space.Tests.Cloud;

/// <summary>
/// A password the wizard checked waits in memory as a draft for its confirmation: for that account and task only,
/// taken once, and gone after <see cref="BackupPasswordHolder.DraftLifetime"/>.
/// </summary>
public sealed class PasswordDraftTests
{
    private const string Password = "a checked backup password";

    [Fact]
    public void A_draft_is_handed_only_to_its_account_and_task_and_only_once()
    {
        var holder = new BackupPasswordHolder(new TestClock(SpaceFactory.Start));
        var (draft, account, task) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        holder.PutDraft(draft, account, task, Password);

        holder.HasDraft(draft, Guid.NewGuid(), task).Should().BeFalse("another account cannot use it");
        holder.TryTakeDraft(draft, account, Guid.NewGuid(), out _).Should().BeFalse("nor another task");
        holder.TryTakeDraft(draft, account, task, out var taken).Should().BeTrue();
        taken.Should().Be(Password);
        holder.TryTakeDraft(draft, account, task, out _).Should().BeFalse("a draft is taken once");
        holder.Has(draft).Should().BeFalse("a draft is not an order's password until the order is placed");
    }

    [Fact]
    public void A_draft_left_unconfirmed_expires()
    {
        var clock = new TestClock(SpaceFactory.Start);
        var holder = new BackupPasswordHolder(clock);
        var (draft, account, task) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        holder.PutDraft(draft, account, task, Password);

        clock.Advance(BackupPasswordHolder.DraftLifetime - TimeSpan.FromSeconds(1));
        holder.HasDraft(draft, account, task).Should().BeTrue();
        clock.Advance(TimeSpan.FromSeconds(2));
        holder.HasDraft(draft, account, task).Should().BeFalse();
        holder.TryTakeDraft(draft, account, task, out var gone).Should().BeFalse();
        gone.Should().BeEmpty();
    }
}
