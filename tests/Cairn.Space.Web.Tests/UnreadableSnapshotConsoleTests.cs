using Cairn.Space.Backups;
using Cairn.Space.Tests.Infrastructure;
using Cairn.Space.Usage;
using Cairn.Space.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Cairn.Space.Web.Tests;

/// <summary>A snapshot found not to open with the owner's password shows as unreadable, never as the latest one.</summary>
public sealed class UnreadableSnapshotConsoleTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task An_unreadable_snapshot_is_tagged_in_the_details_and_is_neither_latest_nor_the_restore_default()
    {
        await using var tab = await fixture.NewPageAsync();
        var email = $"unreadable-{Guid.NewGuid():N}@example.org";
        await tab.GotoAsync("/signup");
        await tab.Page.GetByLabel("Email").FillAsync(email);
        await tab.Page.GetByLabel("Password").FillAsync(SpaceClient.Password);
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await tab.Page.WaitForURLAsync("**/");

        var owner = await SpaceClient.SignInAsync(fixture.Space, email, SpaceClient.Password);
        var instance = await owner.RegisterInstanceAsync();
        var repo = owner.Repository(await owner.MintAsync(instance, task: "photos"));
        (await repo.CreateAsync(instance, "photos")).EnsureSuccessStatusCode();
        var real = await repo.UploadObjectAsync(instance, "photos", "snapshots", Objects.Random(300));
        fixture.Space.Clock.Advance(TimeSpan.FromMinutes(1));
        var garbage = await repo.UploadObjectAsync(instance, "photos", "snapshots", Objects.Random(300));
        var task = (await owner.BackupsAsync()).Single();
        task.LatestSnapshotAt.Should().Be(fixture.Space.Clock.GetUtcNow(), "until the password is at hand, Space cannot tell");

        // What a restore order (or an install) reports when the owner's password does not open the file.
        await using (var scope = fixture.Space.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<SnapshotReadability>().MarkUnreadableAsync(task.Id, garbage, CancellationToken.None);
        }

        var details = await owner.BackupAsync(task.Id);
        details.LatestSnapshotAt.Should().Be(details.Snapshots.Single(s => s.Id == real).Time);
        details.Snapshots.Single(s => s.Id == garbage).Unreadable.Should().BeTrue();

        await tab.GotoAsync($"/backups/{task.Id}");
        (await tab.Page.Locator($"tr[data-snapshot-id='{garbage}'] .tag.unreadable").InnerTextAsync()).Should().Be("unreadable");
        (await tab.Page.Locator($"tr[data-snapshot-id='{real}'] .tag.unreadable").CountAsync()).Should().Be(0);

        await tab.GotoAsync($"/backups/{task.Id}/restore");
        (await tab.Page.Locator("#restore-snapshot").InputValueAsync()).Should().Be(real, "the default is the newest snapshot that opens");
        (await tab.Page.Locator($"#restore-snapshot option[value='{garbage}']").InnerTextAsync()).Should().Contain("unreadable");
    }
}
