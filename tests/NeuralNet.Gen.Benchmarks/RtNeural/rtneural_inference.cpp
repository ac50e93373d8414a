// The four inference networks of the benchmark as RTNeural compile-time ModelTs, behind a C interface the benchmark
// P/Invokes (RtNeuralInferencePeer.cs). Built at benchmark time against the checkout given with --rtneural, once per
// back end (-DRTNEURAL_USE_EIGEN=1 or -DRTNEURAL_USE_XSIMD=1); never part of the build.
// Parameters arrive in NeuralNet.Gen's order (per Dense layer: weight [out][in] row-major, then bias) and go through
// RTNeural's own setters, as a user's loader would.
#include <RTNeural/RTNeural.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <utility>
#include <vector>

namespace
{
using namespace RTNeural;

using Circles = ModelT<float, 2, 1,
    DenseT<float, 2, 4>, ReLuActivationT<float, 4>,
    DenseT<float, 4, 6>, ReLuActivationT<float, 6>,
    DenseT<float, 6, 6>, ReLuActivationT<float, 6>,
    DenseT<float, 6, 4>, ReLuActivationT<float, 4>,
    DenseT<float, 4, 1>, SigmoidActivationT<float, 1>>;

using Gender = ModelT<float, 2, 1,
    DenseT<float, 2, 2>, SigmoidActivationT<float, 2>,
    DenseT<float, 2, 1>, SigmoidActivationT<float, 1>>;

using Mnist50 = ModelT<float, 784, 10,
    DenseT<float, 784, 50>, SigmoidActivationT<float, 50>,
    DenseT<float, 50, 10>, SoftmaxActivationT<float, 10>>;

using Fashion256 = ModelT<float, 784, 10,
    DenseT<float, 784, 256>, ReLuActivationT<float, 256>,
    DenseT<float, 256, 128>, ReLuActivationT<float, 128>,
    DenseT<float, 128, 10>, SoftmaxActivationT<float, 10>>;

// RTNeural reads its input with aligned vector loads of whole vectors (the xsimd back end reads past the last input
// up to a full vector), so inputs are staged once, as a user keeps them: each sample at a 64-byte boundary, padded
// with zeros to a multiple of 16 floats.
constexpr int Alignment = 64;
constexpr int Padded(int size) { return (size + 15) / 16 * 16; }

template <typename Model>
struct Network
{
    Model model;
    float* inputs = nullptr;

    static constexpr int In = Model::input_size, Out = Model::output_size, Stride = Padded(In);

    // Dense layers are at even positions, each followed by its activation.
    template <std::size_t... Dense>
    void Load(const float* p, std::index_sequence<Dense...>)
    {
        (LoadDense(model.template get<2 * (int)Dense>(), p), ...);
    }

    template <std::size_t... Dense>
    static constexpr int ParameterCount(std::index_sequence<Dense...>)
    {
        return (DenseParameters<std::decay_t<decltype(std::declval<Model&>().template get<2 * (int)Dense>())>>() + ...);
    }

    template <typename Layer>
    static constexpr int DenseParameters() { return Layer::out_size * (Layer::in_size + 1); }

    template <typename Layer>
    static void LoadDense(Layer& layer, const float*& p)
    {
        std::vector<std::vector<float>> weights(Layer::out_size, std::vector<float>(Layer::in_size));
        for (int o = 0; o < Layer::out_size; o++)
            std::copy(p + o * Layer::in_size, p + (o + 1) * Layer::in_size, weights[o].begin());
        layer.setWeights(weights);
        p += Layer::out_size * Layer::in_size;
        layer.setBias(p);
        p += Layer::out_size;
    }

    void Stage(const float* source, int count)
    {
        std::free(inputs);
        inputs = static_cast<float*>(std::aligned_alloc(Alignment, sizeof(float) * Stride * count));
        std::memset(inputs, 0, sizeof(float) * Stride * count);
        for (int s = 0; s < count; s++)
            std::copy(source + s * In, source + (s + 1) * In, inputs + s * Stride);
    }

    // One forward call per sample, as a plug-in or game loop calls it; outputs copied out of the model.
    void Run(int first, int count, float* outputs)
    {
        for (int s = first; s < first + count; s++)
        {
            model.forward(inputs + s * Stride);
            std::copy(model.getOutputs(), model.getOutputs() + Out, outputs);
            outputs += Out;
        }
    }
};

Network<Circles> circles;
Network<Gender> gender;
Network<Mnist50> mnist50;
Network<Fashion256> fashion256;
}

extern "C" const char* nng_rtneural_backend()
{
#if RTNEURAL_USE_XSIMD
    return "xsimd";
#else
    return "Eigen";
#endif
}

// Each network: its layout (inputs, outputs, parameters) for the caller to check, a loader, an input stager and a
// block of single-sample forward calls.
#define NNG_RTNEURAL_EXPORTS(name, denseLayers)                                                                       \
    extern "C" void nng_rtneural_##name##_layout(int* inputs, int* outputs, int* parameters)                           \
    {                                                                                                                  \
        *inputs = decltype(name)::In;                                                                                  \
        *outputs = decltype(name)::Out;                                                                                \
        *parameters = decltype(name)::ParameterCount(std::make_index_sequence<denseLayers> {});                        \
    }                                                                                                                  \
    extern "C" void nng_rtneural_##name##_load(const float* parameters)                                                \
    {                                                                                                                  \
        name.Load(parameters, std::make_index_sequence<denseLayers> {});                                               \
        name.model.reset();                                                                                            \
    }                                                                                                                  \
    extern "C" void nng_rtneural_##name##_stage(const float* inputs, int count) { name.Stage(inputs, count); }         \
    extern "C" void nng_rtneural_##name##_run(int first, int count, float* outputs) { name.Run(first, count, outputs); }

NNG_RTNEURAL_EXPORTS(circles, 5)
NNG_RTNEURAL_EXPORTS(gender, 2)
NNG_RTNEURAL_EXPORTS(mnist50, 2)
NNG_RTNEURAL_EXPORTS(fashion256, 3)
