using Cairn.Agent.Protocol;

namespace Cairn.Agent.Scheduling;

/// <summary>A run the schedule asks for now: which plan, what kind (backup or prune), why, and the slot it stands for.</summary>
public sealed record DueRun(PlanDocument Plan, string Kind, string Trigger, DateTimeOffset Slot);
