namespace Cairn.Space.Agents;

/// <summary>Bounds on what an agent sends about itself and how long it may wait for news.</summary>
public static class AgentLimits
{
    public const int MaxHostnameLength = 255;
    public const int MaxVersionLength = 64;
    public const int MaxWaitSeconds = 60;
}
