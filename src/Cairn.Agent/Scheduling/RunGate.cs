namespace Cairn.Agent.Scheduling;

/// <summary>Lets a run start only when neither its plan nor its repository (task) has a run going.</summary>
public sealed class RunGate
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _plans = new(StringComparer.Ordinal);
    private readonly HashSet<string> _tasks = new(StringComparer.Ordinal);

    public bool TryEnter(string planId, string task)
    {
        lock (_gate)
        {
            if (_plans.Contains(planId) || _tasks.Contains(task))
            {
                return false;
            }

            _plans.Add(planId);
            _tasks.Add(task);
            return true;
        }
    }

    public void Exit(string planId, string task)
    {
        lock (_gate)
        {
            _plans.Remove(planId);
            _tasks.Remove(task);
        }
    }

    public bool IsRunning(string planId)
    {
        lock (_gate)
        {
            return _plans.Contains(planId);
        }
    }
}
