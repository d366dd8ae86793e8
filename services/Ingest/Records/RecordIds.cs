using System.Buffers.Binary;

namespace SentryFlow.Ingest.Records;

/// <summary>
/// Version 7 GUIDs (RFC 9562: 48 bits of Unix milliseconds, then random bits) for the records ingest accepts.
/// <see cref="Guid.CreateVersion7()"/> asks the operating system for fresh random bytes on every call, a system call
/// per record that took a twentieth of ingest's CPU; a record id needs to be unique and time-ordered, not
/// unpredictable, so the random part comes from <see cref="Random.Shared"/> (seeded from the OS once per thread).
/// </summary>
public static class RecordIds
{
    public static Guid New(DateTimeOffset now)
    {
        Span<byte> bytes = stackalloc byte[16];
        Random.Shared.NextBytes(bytes[6..]);
        BinaryPrimitives.WriteInt64BigEndian(bytes[..8], now.ToUnixTimeMilliseconds() << 16 | BinaryPrimitives.ReadUInt16BigEndian(bytes[6..8]));
        bytes[6] = (byte)(bytes[6] & 0x0F | 0x70); // version 7
        bytes[8] = (byte)(bytes[8] & 0x3F | 0x80); // the RFC 9562 variant
        return new Guid(bytes, bigEndian: true);
    }
}
