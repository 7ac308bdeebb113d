using Cairn.Space.Cluster.Tests.Infrastructure;

namespace Cairn.Space.Cluster.Tests;

/// <summary>docs/operations.md shows the proxy configurations the cluster tests run, word for word.</summary>
public sealed class DeploySamplesTests
{
    [Theory]
    [InlineData("haproxy", "cairn-space.cfg")]
    [InlineData("nginx", "cairn-space.conf")]
    public void The_operations_guide_shows_the_sample_configuration_the_tests_run(string folder, string file)
    {
        var guide = File.ReadAllText(RepositoryRoot.File("docs", "operations.md"));
        var sample = File.ReadAllText(RepositoryRoot.File("deploy", folder, file)).TrimEnd();
        guide.Should().Contain(sample, $"docs/operations.md must show deploy/{folder}/{file} as it is");
    }
}
