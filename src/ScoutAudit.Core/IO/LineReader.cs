namespace ScoutAudit.Core;

/// <summary>What <see cref="LineReader.Next"/> found.</summary>
internal enum LineStatus
{
    /// <summary>A line ended by a newline (the newline and the CRs before it removed: <see cref="LineJudge.WithoutEnding"/>).</summary>
    Line,

    /// <summary>The last bytes of the stream, with no newline after them.</summary>
    Unterminated,

    /// <summary>A line longer than the limit; it was skipped without being held in memory.</summary>
    TooLong,

    /// <summary>The end of the stream.</summary>
    End,
}

/// <summary>
/// Splits a stream into lines with memory bounded by the longest accepted line, whatever the
/// size of the stream or of a line (a multi-gigabyte line without a newline is skipped, not held).
/// </summary>
internal sealed class LineReader
{
    /// <summary>Longest line read, in bytes: <see cref="LineJudge.MaxLineBytes"/>.</summary>
    public const int DefaultMaxLineBytes = LineJudge.MaxLineBytes;

    private readonly Stream _stream;
    private readonly int _maxLineBytes;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private int _scanned;
    private long _skippedBytes = -1; // >= 0 while skipping an over-long line
    private bool _eof;

    /// <param name="stream">The bytes to split.</param>
    /// <param name="maxLineBytes">Longer lines are skipped and reported as <see cref="LineStatus.TooLong"/>.</param>
    /// <param name="chunkBytes">How much to read at once.</param>
    /// <param name="firstLineNumber">The number of the stream's first line: a part of a file is numbered as the file.</param>
    public LineReader(Stream stream, int maxLineBytes = DefaultMaxLineBytes, int chunkBytes = 64 * 1024, long firstLineNumber = 1)
    {
        _stream = stream;
        LineNumber = firstLineNumber - 1;
        _maxLineBytes = maxLineBytes;
        _buffer = new byte[Math.Min(chunkBytes, maxLineBytes + 1)];
    }

    /// <summary>The 1-based number of the line last returned.</summary>
    public long LineNumber { get; private set; }

    /// <summary>Bytes taken from the stream so far.</summary>
    public long BytesRead { get; private set; }

    /// <summary>Where in the stream the line after the one last returned starts (just past its newline).</summary>
    public long Position => BytesRead - (_end - _start);

    /// <summary>Length of the line last reported as <see cref="LineStatus.TooLong"/>.</summary>
    public long SkippedLength { get; private set; }

    /// <summary>The next line; <paramref name="line"/> is valid until the next call.</summary>
    public LineStatus Next(out ReadOnlySpan<byte> line)
    {
        while (true)
        {
            var newline = _buffer.AsSpan(_scanned, _end - _scanned).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var end = _scanned + newline;
                var found = _buffer.AsSpan(_start, end - _start);
                _start = _scanned = end + 1;
                LineNumber++;
                if (_skippedBytes >= 0 || found.Length > _maxLineBytes)
                {
                    SkippedLength = Math.Max(_skippedBytes, 0) + found.Length;
                    _skippedBytes = -1;
                    line = default;
                    return LineStatus.TooLong;
                }
                line = LineJudge.WithoutEnding(found);
                return LineStatus.Line;
            }
            _scanned = _end;

            if (_skippedBytes >= 0)
            {
                _skippedBytes += _end - _start;
                _start = _end = _scanned = 0;
            }
            else if (_end - _start > _maxLineBytes)
            {
                _skippedBytes = _end - _start;
                _start = _end = _scanned = 0;
            }

            if (_eof)
            {
                line = default;
                if (_skippedBytes >= 0)
                {
                    LineNumber++;
                    SkippedLength = _skippedBytes;
                    _skippedBytes = -1;
                    return LineStatus.TooLong;
                }
                if (_end == _start) return LineStatus.End;
                LineNumber++;
                line = LineJudge.WithoutEnding(_buffer.AsSpan(_start, _end - _start));
                _start = _scanned = _end;
                return LineStatus.Unterminated;
            }
            Fill();
        }
    }

    private void Fill()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _scanned -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
            Array.Resize(ref _buffer, (int)Math.Min((long)_buffer.Length * 2, _maxLineBytes + 1L + 64 * 1024));
        var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0) _eof = true;
        _end += read;
        BytesRead += read;
    }
}
