using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Text;

namespace AutoDiff.Serialization;

/// <summary>
/// Saves and loads trained models in the AutoDiff model file format (ADMF): a versioned, little-endian binary
/// file of a model kind, string metadata and named <c>double[]</c> parameters, ending with a SHA-256 checksum of
/// everything before it. docs/model-file-format.md describes it byte by byte.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Save(string, ModelData)"/> writes a temporary file next to the target, flushes it to disk, then
/// moves it over the target, so a crash leaves either the old file or the new one, never half a file.
/// </para>
/// <para>
/// <see cref="Load(string)"/> refuses, with an <see cref="InvalidDataException"/> naming the file and the reason, a
/// file that is not a model file (wrong magic), of an unknown format version, truncated, followed by extra bytes,
/// or whose checksum does not match (a changed byte). The parameters come back bit for bit as they were saved.
/// Metadata and parameters are written in ordinal order of their keys, so the same data always gives the same bytes.
/// The checksum detects corruption, not tampering: it is not a signature.
/// </para>
/// </remarks>
public static class ModelFile
{
    /// <summary>The first four bytes of a model file: "ADMF" in ASCII.</summary>
    public static ReadOnlySpan<byte> Magic => "ADMF"u8;

    /// <summary>The format version this library writes, and the newest it reads.</summary>
    public const ushort FormatVersion = 1;

    /// <summary>The usual file name extension of model files.</summary>
    public const string Extension = ".admf";

    private const int HeaderLength = 16; // magic 4, version 2, flags 2, total length 8
    private const int ChecksumLength = 32; // SHA-256

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Saves <paramref name="data"/> to <paramref name="path"/>, replacing any file there only once the new one is complete on disk.</summary>
    /// <param name="path">The file to write (by convention with the extension <see cref="Extension"/>).</param>
    /// <param name="data">The model.</param>
    /// <exception cref="ArgumentException">The kind, a metadata key or a parameter name is empty, or a value or array is null.</exception>
    public static void Save(string path, ModelData data)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes = Serialize(data);
        string fullPath = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(fullPath) ?? ".";
        string temporary = Path.Combine(directory, "." + Path.GetFileName(fullPath) + "." + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                file.Write(bytes);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>Writes <paramref name="data"/> to a stream, which is left open.</summary>
    /// <param name="stream">Where to write.</param>
    /// <param name="data">The model.</param>
    public static void Save(Stream stream, ModelData data)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(Serialize(data));
    }

    /// <summary>Loads a model file.</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="InvalidDataException">The file is not a valid model file; the message names the file and the reason.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static ModelData Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Deserialize(File.ReadAllBytes(path), path);
    }

    /// <summary>Loads a model from a stream, read to its end and left open.</summary>
    /// <param name="stream">The data.</param>
    /// <param name="name">The name to give in error messages.</param>
    /// <exception cref="InvalidDataException">The data is not a valid model file.</exception>
    public static ModelData Load(Stream stream, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(name);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return Deserialize(buffer.ToArray(), name);
    }

    /// <summary>The bytes of the model file of <paramref name="data"/>.</summary>
    /// <param name="data">The model.</param>
    public static byte[] Serialize(ModelData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        // A `with` expression can bypass ModelData's own checks.
        if (string.IsNullOrEmpty(data.Kind)) throw new ArgumentException("The model kind is empty.", nameof(data));
        if (data.Metadata is null || data.Parameters is null) throw new ArgumentException("The metadata or the parameters are null.", nameof(data));
        var metadata = new List<KeyValuePair<string, string>>(data.Metadata);
        metadata.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        var parameters = new List<KeyValuePair<string, double[]>>(data.Parameters);
        parameters.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));

        long length = HeaderLength + StringLength(data.Kind) + 4 + 4 + ChecksumLength;
        foreach (var (key, value) in metadata)
        {
            if (string.IsNullOrEmpty(key)) throw new ArgumentException("A metadata key is empty.", nameof(data));
            if (value is null) throw new ArgumentException($"Metadata '{key}' has a null value.", nameof(data));
            length += StringLength(key) + StringLength(value);
        }

        foreach (var (name, values) in parameters)
        {
            if (string.IsNullOrEmpty(name)) throw new ArgumentException("A parameter name is empty.", nameof(data));
            if (values is null) throw new ArgumentException($"Parameter '{name}' is null.", nameof(data));
            length += StringLength(name) + 4 + 8L * values.Length;
        }

        if (length > Array.MaxLength) throw new ArgumentException($"The model needs {length} bytes, more than one file of this format holds in memory.", nameof(data));

        var bytes = new byte[length];
        var writer = new Writer(bytes);
        writer.Bytes(Magic);
        writer.UInt16(FormatVersion);
        writer.UInt16(0); // flags
        writer.UInt64((ulong)length);
        writer.String(data.Kind);
        writer.UInt32((uint)metadata.Count);
        foreach (var (key, value) in metadata)
        {
            writer.String(key);
            writer.String(value);
        }

        writer.UInt32((uint)parameters.Count);
        foreach (var (name, values) in parameters)
        {
            writer.String(name);
            writer.UInt32((uint)values.Length);
            foreach (double v in values) writer.Double(v);
        }

        SHA256.HashData(bytes.AsSpan(0, writer.Position), bytes.AsSpan(writer.Position, ChecksumLength));
        return bytes;
    }

    /// <summary>Reads the model in the bytes of a model file.</summary>
    /// <param name="bytes">The whole file.</param>
    /// <param name="name">The name to give in error messages.</param>
    /// <exception cref="InvalidDataException">The bytes are not a valid model file.</exception>
    public static ModelData Deserialize(ReadOnlySpan<byte> bytes, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (bytes.IsEmpty) throw Refuse(name, "the file is empty");
        int magicLength = Math.Min(bytes.Length, Magic.Length);
        if (!bytes[..magicLength].SequenceEqual(Magic[..magicLength]))
            throw Refuse(name, $"not an AutoDiff model file: it starts with {Hex(bytes[..Math.Min(bytes.Length, 4)])} instead of 'ADMF' (41 44 4D 46)");
        if (bytes.Length < HeaderLength)
            throw Refuse(name, $"truncated file: {bytes.Length} bytes, fewer than the {HeaderLength}-byte header");

        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(bytes[4..]);
        if (version != FormatVersion)
        {
            throw Refuse(name, version > FormatVersion
                ? $"unknown format version {version}: this library reads version {FormatVersion}; the file was written by a newer AutoDiff"
                : $"unknown format version {version}: this library reads version {FormatVersion}");
        }

        ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(bytes[6..]);
        if (flags != 0) throw Refuse(name, $"unknown flags 0x{flags:X4} for format version {version}");

        ulong declared = BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]);
        if ((ulong)bytes.Length < declared)
            throw Refuse(name, $"truncated file: the header gives a length of {declared} bytes, the file has {bytes.Length}");
        if ((ulong)bytes.Length > declared)
            throw Refuse(name, $"{(ulong)bytes.Length - declared} unexpected bytes after the end of the model, which the header puts at byte {declared}");
        if (declared < HeaderLength + ChecksumLength)
            throw Refuse(name, $"the header gives a length of {declared} bytes, too short for a model file");

        int body = bytes.Length - ChecksumLength;
        Span<byte> checksum = stackalloc byte[ChecksumLength];
        SHA256.HashData(bytes[..body], checksum);
        if (!checksum.SequenceEqual(bytes[body..]))
            throw Refuse(name, $"checksum mismatch: the SHA-256 of bytes 0..{body - 1} differs from the one stored at byte {body}, so the file is corrupt");

        // The checksum matched: what follows can only fail for a file written wrongly, not one damaged later.
        var reader = new Reader(bytes[..body], name);
        reader.Skip(HeaderLength);
        string kind = reader.String("model kind");
        if (kind.Length == 0) throw Refuse(name, "malformed file: empty model kind");

        uint metadataCount = reader.UInt32("metadata count");
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        for (uint i = 0; i < metadataCount; i++)
        {
            string key = reader.String("metadata key");
            string value = reader.String("metadata value");
            if (key.Length == 0 || !metadata.TryAdd(key, value))
                throw Refuse(name, $"malformed file: metadata key '{key}' is empty or repeated");
        }

        uint parameterCount = reader.UInt32("parameter count");
        var parameters = new Dictionary<string, double[]>(StringComparer.Ordinal);
        for (uint i = 0; i < parameterCount; i++)
        {
            string parameter = reader.String("parameter name");
            uint count = reader.UInt32($"length of parameter '{parameter}'");
            double[] values = reader.Doubles(count, parameter);
            if (parameter.Length == 0 || !parameters.TryAdd(parameter, values))
                throw Refuse(name, $"malformed file: parameter name '{parameter}' is empty or repeated");
        }

        if (reader.Remaining != 0)
            throw Refuse(name, $"malformed file: {reader.Remaining} bytes between the last parameter and the checksum");
        return new ModelData(kind, metadata, parameters);
    }

    private static long StringLength(string value) => 4 + StrictUtf8.GetByteCount(value);

    private static InvalidDataException Refuse(string name, string reason)
        => new($"{name}: cannot load the model: {reason}.");

    private static string Hex(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder();
        foreach (byte b in bytes) text.Append(text.Length == 0 ? "" : " ").Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        return text.ToString();
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private ref struct Writer
    {
        private readonly Span<byte> bytes;

        public Writer(Span<byte> bytes)
        {
            this.bytes = bytes;
            Position = 0;
        }

        public int Position { get; private set; }

        public void Bytes(ReadOnlySpan<byte> value)
        {
            value.CopyTo(bytes[Position..]);
            Position += value.Length;
        }

        public void UInt16(ushort value)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes[Position..], value);
            Position += 2;
        }

        public void UInt32(uint value)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes[Position..], value);
            Position += 4;
        }

        public void UInt64(ulong value)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(bytes[Position..], value);
            Position += 8;
        }

        public void Double(double value)
        {
            BinaryPrimitives.WriteInt64LittleEndian(bytes[Position..], BitConverter.DoubleToInt64Bits(value));
            Position += 8;
        }

        public void String(string value)
        {
            int length = StrictUtf8.GetBytes(value, bytes[(Position + 4)..]);
            UInt32((uint)length);
            Position += length;
        }
    }

    private ref struct Reader
    {
        private readonly ReadOnlySpan<byte> bytes;
        private readonly string name;
        private int position;

        public Reader(ReadOnlySpan<byte> bytes, string name)
        {
            this.bytes = bytes;
            this.name = name;
            position = 0;
        }

        public readonly int Remaining => bytes.Length - position;

        public void Skip(int count) => position += count;

        public uint UInt32(string what)
        {
            Need(4, what);
            uint value = BinaryPrimitives.ReadUInt32LittleEndian(bytes[position..]);
            position += 4;
            return value;
        }

        public string String(string what)
        {
            uint length = UInt32(what + " length");
            Need(length, what);
            try
            {
                string value = StrictUtf8.GetString(bytes.Slice(position, (int)length));
                position += (int)length;
                return value;
            }
            catch (DecoderFallbackException)
            {
                throw Refuse(name, $"malformed file: the {what} at byte {position} is not valid UTF-8");
            }
        }

        public double[] Doubles(uint count, string parameter)
        {
            Need(8L * count, $"values of parameter '{parameter}'");
            var values = new double[count];
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64LittleEndian(bytes[position..]));
                position += 8;
            }

            return values;
        }

        private readonly void Need(long count, string what)
        {
            if (count > Remaining)
                throw Refuse(name, $"malformed file: the {what} at byte {position} needs {count} bytes, only {Remaining} remain before the checksum");
        }
    }
}
