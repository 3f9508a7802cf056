# sr_module(NAME [DEPS module...] [PKGS target...])
#
# Each lib/<module>/ is compiled once into an object library; from it come a
# static library per module (sr_<module>, for tests and benchmarks that need
# only that stage) and, together, libsitrep (for the program and for users).
set_property(GLOBAL PROPERTY SR_MODULE_OBJS "")
set_property(GLOBAL PROPERTY SR_MODULE_PKGS "")

function(sr_module name)
  cmake_parse_arguments(M "" "" "DEPS;PKGS" ${ARGN})
  file(GLOB src CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.c)
  add_library(sr_${name}_obj OBJECT ${src})
  set_target_properties(sr_${name}_obj PROPERTIES POSITION_INDEPENDENT_CODE ON)
  target_include_directories(sr_${name}_obj PUBLIC ${PROJECT_SOURCE_DIR}/include
                             PRIVATE ${CMAKE_CURRENT_SOURCE_DIR} ${PROJECT_SOURCE_DIR}/lib)
  add_library(sr_${name} STATIC $<TARGET_OBJECTS:sr_${name}_obj>)
  target_include_directories(sr_${name} PUBLIC ${PROJECT_SOURCE_DIR}/include)
  foreach(d IN LISTS M_DEPS)
    target_link_libraries(sr_${name}_obj PUBLIC sr_${d})
    target_link_libraries(sr_${name} PUBLIC sr_${d})
  endforeach()
  target_link_libraries(sr_${name}_obj PUBLIC ${M_PKGS})
  target_link_libraries(sr_${name} PUBLIC ${M_PKGS} Threads::Threads ${MATH_LIB})
  set_property(GLOBAL APPEND PROPERTY SR_MODULE_OBJS $<TARGET_OBJECTS:sr_${name}_obj>)
  set_property(GLOBAL APPEND PROPERTY SR_MODULE_PKGS ${M_PKGS})
endfunction()
