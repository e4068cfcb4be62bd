namespace Promoter.Loop;

/// <summary>Wakes this node's loop worker when a response was stored here, so a detractor alert leaves within seconds.</summary>
public sealed class LoopSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next <see cref="Notify"/>; taken before a round so a response stored meanwhile wakes the next one.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    public void Notify() =>
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
