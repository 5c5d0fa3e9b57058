using System.Security.Cryptography;

namespace ScoutAudit.Core;

/// <summary>
/// A read-only pass-through stream that hashes what is read through it: the first
/// <c>prefixLength</c> bytes apart, and all of it. The verifier reads each file once, for its lines,
/// and learns on the way whether it still begins with the bytes a seal record or the last
/// verification saw, and what it holds now.
/// </summary>
internal sealed class PrefixDigest(Stream inner, long? prefixLength) : Stream
{
    private readonly IncrementalHash _prefix = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly IncrementalHash _whole = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _read;

    /// <summary>SHA-256 of the first <c>prefixLength</c> bytes (lowercase hex), once that many were read; else null.</summary>
    public string? Prefix { get; private set; } = prefixLength == 0 ? Convert.ToHexString(SHA256.HashData([])).ToLowerInvariant() : null;

    /// <summary>SHA-256 of every byte read (lowercase hex), once the stream was read to its end.</summary>
    public string Whole() => Convert.ToHexString(_whole.GetCurrentHash()).ToLowerInvariant();

    public long BytesRead => _read;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        var chunk = buffer[..read];
        _whole.AppendData(chunk);
        if (prefixLength is { } wanted && Prefix is null)
        {
            var take = (int)Math.Min(read, wanted - _read);
            _prefix.AppendData(chunk[..take]);
            if (_read + take == wanted) Prefix = Convert.ToHexString(_prefix.GetHashAndReset()).ToLowerInvariant();
        }
        _read += read;
        return read;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _read; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _prefix.Dispose();
            _whole.Dispose();
            inner.Dispose();
        }
        base.Dispose(disposing);
    }
}
