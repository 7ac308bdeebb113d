namespace Cairn.Space.Agents;

/// <summary>
/// A one-time code with which <c>cairn agent enroll</c> joins an instance: kept as a SHA-256 hash only, valid for
/// <see cref="EnrollmentCodes.Lifetime"/>, used once (<see cref="UsedAt"/> is set by a conditional update, so two
/// replicas cannot both accept it).
/// </summary>
public sealed class EnrollmentCode
{
    private EnrollmentCode()
    {
    }

    public EnrollmentCode(Guid id, Guid instanceId, string codeHash, DateTimeOffset createdAt, DateTimeOffset expiresAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(codeHash);
        Id = id;
        InstanceId = instanceId;
        CodeHash = codeHash;
        CreatedAt = createdAt.ToUniversalTime();
        ExpiresAt = expiresAt.ToUniversalTime();
    }

    public Guid Id { get; private set; }
    public Guid InstanceId { get; private set; }
    public string CodeHash { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }
    public DateTimeOffset? UsedAt { get; private set; }
    public Guid? AgentId { get; private set; }
}
