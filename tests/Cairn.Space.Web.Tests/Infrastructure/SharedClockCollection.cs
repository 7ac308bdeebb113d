namespace Cairn.Space.Web.Tests.Infrastructure;

/// <summary>
/// Tests that set the one Space's test clock to chosen moments. They run alone, after the others: a jump of days
/// while another test waits would expire what that test's Space holds (a wizard's password is kept 24 hours) or
/// change the times it reads back.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SharedClockCollection
{
    public const string Name = "moves the shared clock";
}
