namespace Cairn.Agent.Protocol;

/// <summary>Space could not be reached or answered with a failure a retry may cure.</summary>
public sealed class SpaceUnreachableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Space refused the agent's token (revoked or unknown): retrying does not help.</summary>
public sealed class AgentRevokedException(string message) : Exception(message);

/// <summary>Space refused a request as wrong (a 4xx other than 401/403/409).</summary>
public sealed class SpaceRefusedException(string message) : Exception(message);

/// <summary>A wrong, expired or used enrollment code.</summary>
public sealed class EnrollmentRefusedException(string message) : Exception(message);
