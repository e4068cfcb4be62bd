namespace Promoter.Loop;

/// <summary>Wakes this node's loop worker when a response was stored here, so a detractor alert leaves within seconds.</summary>
public sealed class LoopSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next <see cref="Notify"/>; taken before a round so a response stored meanwhile wakes the next one.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    private long _stored;

    /// <summary>Responses stored on this node since start (what <see cref="Notify"/> reported): background work reads the intake's pace from it.</summary>
    public long Stored => Interlocked.Read(ref _stored);

    /// <param name="stored">Responses the commit stored.</param>
    public void Notify(int stored = 1)
    {
        Interlocked.Add(ref _stored, stored);
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }
}
