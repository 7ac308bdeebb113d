using Cairn.Testing.Trees;

namespace Cairn.Agent.Tests.Infrastructure;

/// <summary>What every agent test starts from: a scratch folder and a fake Space, both gone when the test is.</summary>
public abstract class AgentTest : IAsyncDisposable
{
    protected Scratch Folder { get; } = new();

    protected FakeSpace Space { get; } = new();

    public async ValueTask DisposeAsync()
    {
        await Space.DisposeAsync();
        Folder.Dispose();
        GC.SuppressFinalize(this);
    }
}
