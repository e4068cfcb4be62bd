namespace Promoter.Platform.Email;

/// <summary>Wakes this node's dispatcher when mail was queued here, so an alert leaves in well under a poll interval.</summary>
public sealed class EmailSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Completes at the next <see cref="Notify"/>. Take it before dispatching: a mail queued while the dispatcher runs
    /// then wakes it again at once instead of being missed.
    /// </summary>
    public Task Next => Volatile.Read(ref _next).Task;

    public void Notify() =>
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
