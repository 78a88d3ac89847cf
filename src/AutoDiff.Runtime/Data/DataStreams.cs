using System;
using System.IO;
using System.IO.Compression;

namespace AutoDiff.Data;

/// <summary>Opens data files and streams, decompressing gzip (recognised by its magic bytes) transparently.</summary>
internal static class DataStreams
{
    private const int GzipId1 = 0x1F;
    private const int GzipId2 = 0x8B;

    /// <summary>Opens a file for reading, its contents decompressed when it is gzip.</summary>
    public static Stream OpenFile(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        try
        {
            return Decompressed(file, path);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The contents of <paramref name="source"/>: itself, or, when it starts with the gzip magic bytes, a stream that
    /// decompresses it and checks the gzip trailer at the end. Disposing the result disposes <paramref name="source"/>.
    /// </summary>
    public static Stream Decompressed(Stream source, string name)
    {
        Span<byte> magic = stackalloc byte[2];
        int read = ReadAtMost(source, magic);
        Stream whole = source;
        if (source.CanSeek) source.Seek(-read, SeekOrigin.Current);
        else whole = new PrefixedStream(magic[..read].ToArray(), source);
        return read == 2 && magic[0] == GzipId1 && magic[1] == GzipId2 ? new CheckedGzipStream(whole, name) : whole;
    }

    /// <summary>Reads until <paramref name="buffer"/> is full or the stream ends; returns the number of bytes read.</summary>
    public static int ReadAtMost(Stream stream, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = stream.Read(buffer[total..]);
            if (n == 0) break;
            total += n;
        }

        return total;
    }

    /// <summary>A stream that reads another and leaves it open when disposed (for streams that belong to the caller).</summary>
    public sealed class Unowned : ReadOnlyStream
    {
        private readonly Stream inner;

        public Unowned(Stream inner) => this.inner = inner;

        public override int Read(Span<byte> buffer) => inner.Read(buffer);
    }

    /// <summary>A read-only stream that yields a few bytes already read, then the rest of another stream.</summary>
    private sealed class PrefixedStream : ReadOnlyStream
    {
        private readonly byte[] prefix;
        private readonly Stream rest;
        private int position;

        public PrefixedStream(byte[] prefix, Stream rest)
        {
            this.prefix = prefix;
            this.rest = rest;
        }

        public override int Read(Span<byte> buffer)
        {
            if (position < prefix.Length && buffer.Length > 0)
            {
                int n = Math.Min(buffer.Length, prefix.Length - position);
                prefix.AsSpan(position, n).CopyTo(buffer);
                position += n;
                return n;
            }

            return rest.Read(buffer);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) rest.Dispose();
            base.Dispose(disposing);
        }
    }
}

/// <summary>The members of <see cref="Stream"/> that a forward-only, read-only stream has no use for.</summary>
internal abstract class ReadOnlyStream : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public abstract override int Read(Span<byte> buffer);

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        return Read(one) == 1 ? one[0] : -1;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>
/// Decompresses a gzip stream and, at its end, checks the CRC-32 and the length in the gzip trailer against what
/// came out: <see cref="GZipStream"/> alone reports a truncated file as a normal, early end. Errors are
/// <see cref="DataFormatException"/>s naming the file and the byte offset in it (compressed).
/// </summary>
/// <remarks>Only single-member gzip data is accepted (what gzip, zlib, Python and .NET write).</remarks>
internal sealed class CheckedGzipStream : ReadOnlyStream
{
    private const int MinimumGzipLength = 18; // the 10-byte header and the 8-byte trailer, with nothing between

    private readonly TailStream compressed;
    private readonly GZipStream gzip;
    private readonly string name;
    private uint crc = Crc32.Initial;
    private long produced;
    private bool ended;
    private bool failed;

    public CheckedGzipStream(Stream source, string name)
    {
        compressed = new TailStream(source);
        gzip = new GZipStream(compressed, CompressionMode.Decompress);
        this.name = name;
    }

    public override int Read(Span<byte> buffer)
    {
        if (ended || buffer.Length == 0) return 0;
        int n;
        try
        {
            n = gzip.Read(buffer);
        }
        catch (InvalidDataException e)
        {
            failed = true;
            throw new DataFormatException($"corrupt gzip data ({e.Message})", name, null, compressed.BytesRead, e);
        }

        if (n == 0)
        {
            ended = true;
            failed = true; // until the trailer is found good
            CheckTrailer();
            failed = false;
            return 0;
        }

        crc = Crc32.Update(crc, buffer[..n]);
        produced += n;
        return n;
    }

    /// <summary>
    /// Reads and checks the rest of the data, throwing <see cref="DataFormatException"/> when it is truncated or
    /// corrupt; a loader calls it before reporting a problem in the contents, so that a damaged file is reported
    /// as such rather than as, say, a short last line.
    /// </summary>
    public void CheckToEnd()
    {
        if (failed) return;
        var sink = new byte[1 << 14];
        while (Read(sink) > 0)
        {
        }
    }

    private void CheckTrailer()
    {
        // Whatever GZipStream left unread belongs to the trailer (or is garbage after it): read it all.
        compressed.Drain();
        long length = compressed.BytesRead;
        if (length < MinimumGzipLength)
            throw new DataFormatException($"truncated gzip data: the file has {length} bytes, too few for a gzip header and trailer", name, null, length);

        ReadOnlySpan<byte> trailer = compressed.Tail;
        uint storedCrc = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(trailer);
        uint storedLength = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]);
        if (storedLength != unchecked((uint)produced) || storedCrc != Crc32.Final(crc))
            throw new DataFormatException(
                $"truncated or corrupt gzip data: the data ends at byte {length} after {produced} decompressed bytes, and the gzip trailer's length and CRC-32 do not match them (nor are files of several concatenated gzip members read)",
                name, null, length);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            gzip.Dispose();
            compressed.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>Passes a stream through, counting its bytes and keeping the last eight.</summary>
    private sealed class TailStream : ReadOnlyStream
    {
        private readonly Stream inner;
        private readonly byte[] tail = new byte[8];
        private int tailCount;

        public TailStream(Stream inner) => this.inner = inner;

        public long BytesRead { get; private set; }

        /// <summary>The last eight bytes read (fewer when fewer were read).</summary>
        public ReadOnlySpan<byte> Tail => tail.AsSpan(0, tailCount);

        public override int Read(Span<byte> buffer)
        {
            int n = inner.Read(buffer);
            if (n <= 0) return 0;
            BytesRead += n;
            var got = buffer[..n];
            if (n >= tail.Length)
            {
                got[^tail.Length..].CopyTo(tail);
                tailCount = tail.Length;
            }
            else
            {
                int keep = Math.Min(tailCount, tail.Length - n);
                tail.AsSpan(tailCount - keep, keep).CopyTo(tail);
                got.CopyTo(tail.AsSpan(keep));
                tailCount = keep + n;
            }

            return n;
        }

        public void Drain()
        {
            var sink = new byte[1 << 14];
            while (Read(sink) > 0)
            {
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}

/// <summary>CRC-32 (ISO-HDLC, the polynomial of gzip, zip and PNG), table-driven.</summary>
internal static class Crc32
{
    public const uint Initial = 0xFFFFFFFFu;

    private static readonly uint[] Table = MakeTable();

    public static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (byte b in data) crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    public static uint Final(uint crc) => crc ^ 0xFFFFFFFFu;

    private static uint[] MakeTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }

        return table;
    }
}
