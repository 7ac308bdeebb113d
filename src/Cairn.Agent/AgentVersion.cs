namespace Cairn.Agent;

public static class AgentVersion
{
    public static string Text => typeof(AgentVersion).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
