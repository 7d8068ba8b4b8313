# One static library per source folder (ARCHITECTURE.md, Layers).
#
#   smmu_layer(NAME [DEPS folder...] [PUBLIC_LIBS target...] [PRIVATE_LIBS target...]
#              [SOURCES extra...])
#
# makes smmu_NAME of NAME/*.cpp (tests apart) and links it to smmu_<dep> of
# each DEPS folder. A folder's code includes headers as "folder/x.h" from an
# include root of its own, build/layers/NAME, which holds a link to NAME and
# to each folder it depends on, directly or through another: an #include of
# any other folder (one above it) is a file the compiler cannot find. Only
# the libraries named here are linked, so only cli/ links CLI11.
set(SMMU_LAYER_ROOTS ${CMAKE_BINARY_DIR}/layers)

function(smmu_layer name)
  cmake_parse_arguments(L "" "" "DEPS;PUBLIC_LIBS;PRIVATE_LIBS;SOURCES" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/${name}/*.cpp)
  list(FILTER sources EXCLUDE REGEX "_test\\.cpp$")
  add_library(smmu_${name} STATIC ${sources} ${L_SOURCES})
  # A batch shares one anonymous namespace: helpers of one name in two
  # files of a folder collide (SMMU_UNITY_BUILD, CMakeLists.txt).
  set_target_properties(smmu_${name} PROPERTIES UNITY_BUILD ${SMMU_UNITY_BUILD} UNITY_BUILD_BATCH_SIZE 8)

  # What the folder may see: itself and its dependencies' closure.
  set(visible ${name})
  foreach(dep IN LISTS L_DEPS)
    if(NOT TARGET smmu_${dep})
      message(FATAL_ERROR "layer ${name}: depends on ${dep}, which is not declared before it")
    endif()
    get_target_property(dep_visible smmu_${dep} SMMU_VISIBLE)
    list(APPEND visible ${dep_visible})
    target_link_libraries(smmu_${name} PUBLIC smmu_${dep})
  endforeach()
  list(REMOVE_DUPLICATES visible)
  list(SORT visible)
  set_target_properties(smmu_${name} PROPERTIES SMMU_VISIBLE "${visible}")

  set(root ${SMMU_LAYER_ROOTS}/${name})
  file(REMOVE_RECURSE ${root})
  file(MAKE_DIRECTORY ${root})
  foreach(folder IN LISTS visible)
    file(CREATE_LINK ${PROJECT_SOURCE_DIR}/${folder} ${root}/${folder} SYMBOLIC)
  endforeach()
  target_include_directories(smmu_${name} PRIVATE ${root})
  target_link_libraries(smmu_${name} PUBLIC ${L_PUBLIC_LIBS} PRIVATE ${L_PRIVATE_LIBS})
endfunction()

# build/layers/check.txt, for tests/layering_check.sh: per layer, the folders
# it may see and the include directories its sources really compile with.
function(smmu_layers_check_file)
  set(lines "")
  foreach(name IN LISTS ARGN)
    get_target_property(visible smmu_${name} SMMU_VISIBLE)
    string(APPEND lines "${name}|${visible}|$<TARGET_PROPERTY:smmu_${name},INCLUDE_DIRECTORIES>\n")
  endforeach()
  file(GENERATE OUTPUT ${SMMU_LAYER_ROOTS}/check.txt CONTENT "${lines}")
endfunction()
