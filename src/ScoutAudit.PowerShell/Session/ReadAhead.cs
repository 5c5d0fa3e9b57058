using System.Runtime.ExceptionServices;
using System.Threading.Channels;

namespace ScoutAudit.PowerShell.Session;

/// <summary>
/// A stream of a Core query enumerated on a worker thread, a bounded number of items ahead, so
/// that the pipeline thread is free to write progress while a scan finds nothing for a while
/// (Write-Progress may only be called from the pipeline thread). Items come in the source's order;
/// the source's exception comes out of <see cref="MoveNext"/>. Disposing stops the source and waits
/// for it, so its files are closed when the command ends.
/// </summary>
internal sealed class ReadAhead<T> : IDisposable
{
    private const int Capacity = 1024;

    private readonly Channel<T> _channel = Channel.CreateBounded<T>(new BoundedChannelOptions(Capacity) { SingleReader = true, SingleWriter = true });
    private readonly CancellationTokenSource _stop;
    private readonly Task _producer;
    private Exception? _failure;

    /// <param name="source">The query, given the token that stops it (cancelled by <paramref name="cancellation"/> or by disposing).</param>
    /// <param name="cancellation">The pipeline's stop.</param>
    public ReadAhead(Func<CancellationToken, IEnumerable<T>> source, CancellationToken cancellation)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var token = _stop.Token;
        _producer = Task.Factory.StartNew(() => Produce(source(token), token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    public T Current { get; private set; } = default!;

    private void Produce(IEnumerable<T> source, CancellationToken token)
    {
        try
        {
            var writer = _channel.Writer;
            foreach (var item in source)
            {
                while (!writer.TryWrite(item))
                {
                    if (!writer.WaitToWriteAsync(token).AsTask().GetAwaiter().GetResult()) return;
                }
            }
        }
        catch (Exception error)
        {
            _failure = error;
        }
        finally
        {
            _channel.Writer.TryComplete();
        }
    }

    /// <summary>
    /// The next item; while none is there, <paramref name="waiting"/> runs on this thread every
    /// <paramref name="interval"/> (asked again after each run: a follower that has caught up
    /// looks less often). False at the end; the source's failure is thrown here.
    /// </summary>
    public bool MoveNext(Action waiting, Func<TimeSpan> interval)
    {
        var reader = _channel.Reader;
        while (true)
        {
            if (reader.TryRead(out var item))
            {
                Current = item;
                return true;
            }
            var more = reader.WaitToReadAsync();
            if (!more.IsCompleted)
            {
                var wait = more.AsTask();
                while (!((IAsyncResult)wait).AsyncWaitHandle.WaitOne(interval())) waiting();
                more = new ValueTask<bool>(wait);
            }
            if (!more.GetAwaiter().GetResult())
            {
                _producer.Wait();
                if (_failure is { } failure) ExceptionDispatchInfo.Capture(failure).Throw();
                return false;
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        // Unblocks a producer waiting for room, then lets it close its files.
        while (_channel.Reader.TryRead(out _))
        {
        }
        try
        {
            _producer.Wait();
        }
        catch (AggregateException)
        {
            // Produce catches everything; nothing to report here.
        }
        _stop.Dispose();
    }
}
