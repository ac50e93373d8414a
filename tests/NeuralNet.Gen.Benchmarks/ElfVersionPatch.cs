using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace NeuralNet.Gen.Benchmarks;

/// <summary>
/// TorchSharp-cpu 0.107.0's shim libLibTorchSharp.so was linked with GCC 13 and asks for GLIBCXX_3.4.32, which
/// Debian 12's libstdc++ lacks, so it fails to load. The only symbol bound to that version is the unused marker
/// <c>std::ios_base_library_init()</c>. After checking exactly that (one symbol, that name, undefined, no relocation
/// naming it), this marks the version requirement weak (VER_FLG_WEAK in its Elf64_Vernaux) in the benchmark's own
/// copy of the library under bin/, never in the NuGet cache, so the dynamic loader accepts its absence.
/// </summary>
internal static class ElfVersionPatch
{
    private const string Version = "GLIBCXX_3.4.32";
    private const string OnlySymbol = "_ZSt21ios_base_library_initv";
    private const uint ShtRela = 4, ShtRel = 9, ShtDynsym = 11, ShtGnuVerneed = 0x6ffffffe, ShtGnuVersym = 0x6fffffff;
    private const ushort VerFlagWeak = 0x2;

    private readonly record struct Section(string Name, uint Type, long Offset, long Size, uint Link, uint Info, long EntrySize);

    /// <summary>Checks and, when safe and needed, patches <paramref name="path"/>. Returns lines saying what was checked and done.</summary>
    public static List<string> Apply(string path)
    {
        var log = new List<string>();
        if (!File.Exists(path))
        {
            log.Add($"{path} not found; nothing to patch.");
            return log;
        }
        if (path.Contains(Path.DirectorySeparatorChar + ".nuget" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new InvalidOperationException($"Refusing to patch {path}: it is in the NuGet cache, not the benchmark's bin/.");

        byte[] elf = File.ReadAllBytes(path);
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F' || elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException($"{path} is not a little-endian ELF64 file.");

        Section[] sections = ReadSections(elf);
        Section verneed = Find(sections, ShtGnuVerneed, ".gnu.version_r");
        Section versym = Find(sections, ShtGnuVersym, ".gnu.version");
        Section dynsym = Find(sections, ShtDynsym, ".dynsym");
        Section verneedStrings = sections[verneed.Link];
        Section symbolStrings = sections[dynsym.Link];

        // Walk Elf64_Verneed (vn_version, vn_cnt, vn_file, vn_aux, vn_next) and its Elf64_Vernaux entries.
        long auxOffset = -1;
        ushort versionIndex = 0, flags = 0;
        string library = "";
        long need = verneed.Offset;
        for (uint n = 0; n < verneed.Info; n++)
        {
            ushort count = U16(elf, need + 2);
            string file = CString(elf, verneedStrings.Offset + U32(elf, need + 4));
            long aux = need + U32(elf, need + 8);
            for (int a = 0; a < count; a++)
            {
                // Elf64_Vernaux: vna_hash, vna_flags, vna_other, vna_name, vna_next.
                if (CString(elf, verneedStrings.Offset + U32(elf, aux + 8)) == Version)
                {
                    auxOffset = aux;
                    flags = U16(elf, aux + 4);
                    versionIndex = U16(elf, aux + 6);
                    library = file;
                }
                aux += U32(elf, aux + 12);
            }
            need += U32(elf, need + 12);
        }
        if (auxOffset < 0)
        {
            log.Add($"{Path.GetFileName(path)} does not require {Version}; no patch needed.");
            return log;
        }
        log.Add($"{Path.GetFileName(path)} requires {Version} from {library} (version index {versionIndex}, flags 0x{flags:x}).");

        // Every dynamic symbol bound to that version index (.gnu.version holds one ushort per .dynsym entry).
        var bound = new List<(int Index, string Name, ushort SectionIndex)>();
        int symbolCount = (int)(dynsym.Size / 24);
        for (int i = 0; i < symbolCount; i++)
        {
            if ((U16(elf, versym.Offset + 2L * i) & 0x7fff) != versionIndex) continue;
            long symbol = dynsym.Offset + 24L * i;
            bound.Add((i, CString(elf, symbolStrings.Offset + U32(elf, symbol)), U16(elf, symbol + 6)));
        }
        if (bound.Count != 1 || bound[0].Name != OnlySymbol || bound[0].SectionIndex != 0)
            throw new InvalidOperationException($"Not patching: expected exactly one undefined symbol {OnlySymbol} bound to {Version}, found [{string.Join(", ", bound)}].");
        log.Add($"Checked: exactly one dynamic symbol uses {Version}: {OnlySymbol} (std::ios_base_library_init(), undefined, symbol #{bound[0].Index}).");

        // No relocation (REL or RELA against .dynsym) may name it, or a weak miss would leave a null reference.
        int references = 0, relocations = 0;
        for (int s = 0; s < sections.Length; s++)
        {
            Section section = sections[s];
            if ((section.Type != ShtRela && section.Type != ShtRel) || sections[section.Link].Type != ShtDynsym) continue;
            long entrySize = section.Type == ShtRela ? 24 : 16;
            for (long r = section.Offset; r < section.Offset + section.Size; r += entrySize)
            {
                relocations++;
                if ((long)(U64(elf, r + 8) >> 32) == bound[0].Index) references++;
            }
        }
        if (references != 0)
            throw new InvalidOperationException($"Not patching: {references} relocation(s) refer to {OnlySymbol}.");
        log.Add($"Checked: none of the {relocations} dynamic relocations refers to it.");

        if ((flags & VerFlagWeak) != 0)
        {
            log.Add($"{Version} is already marked weak in this copy.");
            return log;
        }
        BinaryPrimitives.WriteUInt16LittleEndian(elf.AsSpan((int)auxOffset + 4), (ushort)(flags | VerFlagWeak));
        File.WriteAllBytes(path, elf);
        log.Add($"Marked {Version} weak (VER_FLG_WEAK) in {path}.");
        return log;
    }

    private static Section[] ReadSections(byte[] elf)
    {
        long offset = (long)U64(elf, 0x28);
        int size = U16(elf, 0x3A), count = U16(elf, 0x3C), namesIndex = U16(elf, 0x3E);
        var raw = new (uint Name, uint Type, long Offset, long Size, uint Link, uint Info, long EntrySize)[count];
        for (int i = 0; i < count; i++)
        {
            long h = offset + (long)i * size;
            raw[i] = (U32(elf, h), U32(elf, h + 4), (long)U64(elf, h + 24), (long)U64(elf, h + 32), U32(elf, h + 40), U32(elf, h + 44), (long)U64(elf, h + 56));
        }
        long names = raw[namesIndex].Offset;
        var sections = new Section[count];
        for (int i = 0; i < count; i++)
            sections[i] = new Section(CString(elf, names + raw[i].Name), raw[i].Type, raw[i].Offset, raw[i].Size, raw[i].Link, raw[i].Info, raw[i].EntrySize);
        return sections;
    }

    private static Section Find(Section[] sections, uint type, string name)
    {
        foreach (var section in sections)
            if (section.Type == type) return section;
        throw new InvalidDataException($"The library has no {name} section.");
    }

    private static ushort U16(byte[] b, long at) => BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(checked((int)at)));
    private static uint U32(byte[] b, long at) => BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(checked((int)at)));
    private static ulong U64(byte[] b, long at) => BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(checked((int)at)));

    private static string CString(byte[] b, long at)
    {
        int start = checked((int)at), end = Array.IndexOf(b, (byte)0, start);
        return Encoding.ASCII.GetString(b, start, end - start);
    }
}
