// The Streaming sample's model as RTNeural's compile-time ModelT, behind a C interface the benchmark P/Invokes.
// Built at benchmark time against the checkout given with --rtneural (see RtNeuralPeer.cs); not part of the build.
// Weights arrive in NeuralNet.Gen's Parameters order (PyTorch's layouts) and are converted to RTNeural's setters.
#include <RTNeural/RTNeural.h>

#include <algorithm>
#include <vector>

namespace
{
using Model = RTNeural::ModelT<float, 1, 1,
    RTNeural::DenseT<float, 1, 8>,
    RTNeural::TanhActivationT<float, 8>,
    RTNeural::Conv1DT<float, 8, 4, 3, 2>,
    RTNeural::TanhActivationT<float, 4>,
    RTNeural::GRULayerT<float, 4, 8>,
    RTNeural::DenseT<float, 8, 1>>;

Model model;

// Offsets of StreamingNet.Parameters: Dense(8) W[8x1], b[8]; Conv1D W[4x8x3], b[4]; GRU W_ih[24x4], W_hh[24x8],
// b_ih[24], b_hh[24]; Dense(1) W[1x8], b[1].
constexpr int ParameterCount = 461;

std::vector<std::vector<float>> Matrix(const float* p, int rows, int columns)
{
    std::vector<std::vector<float>> m(rows, std::vector<float>(columns));
    for (int r = 0; r < rows; r++)
        for (int c = 0; c < columns; c++)
            m[r][c] = p[r * columns + c];
    return m;
}

// PyTorch's GRU rows are gates r, z, n; RTNeural wants [inputs][3·units] with z first, then r, then n.
std::vector<std::vector<float>> GruColumns(const float* p, int inputs, int units)
{
    std::vector<std::vector<float>> m(inputs, std::vector<float>(3 * units));
    for (int gate = 0; gate < 3; gate++)
    {
        int target = gate == 0 ? 1 : gate == 1 ? 0 : 2;
        for (int u = 0; u < units; u++)
            for (int i = 0; i < inputs; i++)
                m[i][target * units + u] = p[(gate * units + u) * inputs + i];
    }
    return m;
}

std::vector<float> GruBias(const float* b, int units)
{
    std::vector<float> v(3 * units);
    for (int u = 0; u < units; u++)
    {
        v[u] = b[units + u];
        v[units + u] = b[u];
        v[2 * units + u] = b[2 * units + u];
    }
    return v;
}
}

extern "C" int nng_rtneural_parameter_count() { return ParameterCount; }

extern "C" void nng_rtneural_load(const float* p)
{
    auto& dense1 = model.get<0>();
    dense1.setWeights(Matrix(p, 8, 1));
    dense1.setBias(p + 8);

    // Conv1d weight [filters][channels][taps], taps oldest first; RTNeural keeps the newest tap first.
    std::vector<std::vector<std::vector<float>>> conv(4, std::vector<std::vector<float>>(8, std::vector<float>(3)));
    for (int f = 0; f < 4; f++)
        for (int c = 0; c < 8; c++)
            for (int k = 0; k < 3; k++)
                conv[f][c][2 - k] = p[16 + (f * 8 + c) * 3 + k];
    auto& conv1 = model.get<2>();
    conv1.setWeights(conv);
    conv1.setBias(std::vector<float>(p + 112, p + 116));

    auto& gru = model.get<4>();
    gru.setWVals(GruColumns(p + 116, 4, 8));
    gru.setUVals(GruColumns(p + 212, 8, 8));
    gru.setBVals(std::vector<std::vector<float>> { GruBias(p + 404, 8), GruBias(p + 428, 8) });

    auto& dense2 = model.get<5>();
    dense2.setWeights(Matrix(p + 452, 1, 8));
    dense2.setBias(p + 460);
    model.reset();
}

extern "C" void nng_rtneural_reset() { model.reset(); }

// One sample per forward call, as a plug-in streams it.
extern "C" void nng_rtneural_process(const float* input, float* output, int count)
{
    for (int i = 0; i < count; i++)
        output[i] = model.forward(input + i);
}
